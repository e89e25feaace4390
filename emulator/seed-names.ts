/** Word lists the seeded data is drawn from. */

export const firstNames = [
  'Amelia',
  'Ben',
  'Chloe',
  'Daniel',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Isla',
  'Jonas',
  'Kavya',
  'Liam',
  'Maya',
  'Nikolai',
  'Olivia',
  'Pablo',
  'Quinn',
  'Rosa',
  'Samir',
  'Tessa',
  'Umar',
  'Valentina',
  'William',
  'Ximena',
  'Yusuf',
  'Zoe',
  'Aisha',
  'Bruno',
  'Camille',
  'Diego',
  'Eva',
  'Felix',
  'Hannah',
  'Ivan',
  'Julia',
  'Kenji',
  'Lena',
  'Mateo',
  'Nora',
  'Oscar'
] as const

export const lastNames = [
  'Andersen',
  'Brooks',
  'Chen',
  'Dubois',
  'Eriksson',
  'Fischer',
  'García',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Müller',
  'Novak',
  "O'Brien",
  'Patel',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Usman',
  'Varga',
  'Walsh',
  'Yilmaz',
  'Zhang',
  'Nakamura',
  'Okafor',
  'Silva',
  'Kim'
] as const

/** Companies with the domain their developers sign up from. */
export const companies = [
  { name: 'Northwind Logistics', domain: 'northwind-logistics.com' },
  { name: 'Bluefin Analytics', domain: 'bluefin.io' },
  { name: 'Acme Retail Group', domain: 'acme-retail.co.uk' },
  { name: 'Helios Energy', domain: 'helios-energy.de' },
  { name: 'Kestrel Health', domain: 'kestrelhealth.org' },
  { name: 'Quantum Ledger', domain: 'quantumledger.fi' },
  { name: 'Orchard Mobile', domain: 'orchardmobile.app' },
  { name: 'Trailhead Travel', domain: 'trailhead.travel' },
  { name: 'Mosaic Media', domain: 'mosaic-media.net' },
  { name: 'Granite Insurance', domain: 'granite-insurance.com' },
  { name: 'Pinecone Robotics', domain: 'pinecone-robotics.ai' },
  { name: 'Saffron Foods', domain: 'saffronfoods.in' }
] as const

/** Free-mail domains some developers use instead of a company address. */
export const freeMailDomains = ['gmail.com', 'outlook.com', 'proton.me', 'yahoo.co.jp'] as const

export const reasons = [
  'Integrating live rates into our checkout flow.',
  'Proof of concept for the Q3 roadmap.',
  'Replacing a nightly CSV export with the API.',
  'Customer asked for a real-time dashboard.',
  'Migrating from the v1 endpoints before they are retired.',
  'Load testing our staging environment against the sandbox.',
  'Building an internal reporting tool for the finance team.',
  'Mobile app release next month needs production access.',
  'Hackathon project, low volume.',
  'Partner integration agreed with your account manager.'
] as const

export const useCases = [
  'Order tracking',
  'Price comparison',
  'Fraud screening',
  'Fleet telemetry',
  'Inventory sync',
  'Customer notifications',
  'Business intelligence',
  'Internal tooling',
  'Mobile app backend',
  'Data warehouse ingestion'
] as const

export const oauthAppDescriptions = [
  'Single-page app for partner self-service',
  'Back-office integration (server to server)',
  'Mobile companion app',
  'Zapier-style automation connector'
] as const
