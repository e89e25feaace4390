/**
 * Emulator throughput: how fast it lists 10,000 requests with p=-1 and approves over HTTP, so
 * benchmarks of Keygate know the emulator is not their bottleneck (client and server in one
 * process here). Prints one JSON line.
 * Run: npx tsx bench/emulator-throughput.ts [--requests 10000] [--approvals 3000] [--concurrency 16]
 */
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { startEmulator } from '../emulator'
import { flag } from './support/flags'
import { figure, runBench, startReport } from './support/report'

const requestCount = flag('requests', 10_000)
const approvalCount = flag('approvals', 3_000)
const concurrency = flag('concurrency', 16)
const secret = 'bench-secret'
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })

function get(url: string): Promise<{ status: number; bytes: number; body: string }> {
  return send('GET', url)
}

function send(
  method: string,
  url: string
): Promise<{ status: number; bytes: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: { authorization: secret } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const buffer = Buffer.concat(chunks)
        resolve({
          status: res.statusCode ?? 0,
          bytes: buffer.length,
          body: buffer.toString('utf8')
        })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

function summary(samples: number[]): { medianMs: number; minMs: number; maxMs: number } {
  const sorted = [...samples].sort((a, b) => a - b)
  const round = (n: number) => Math.round(n * 10) / 10
  return {
    medianMs: round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    minMs: round(sorted[0] ?? 0),
    maxMs: round(sorted[sorted.length - 1] ?? 0)
  }
}

async function timeList(url: string, runs: number) {
  const samples: number[] = []
  let bytes = 0
  let items = 0
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    const result = await get(url)
    samples.push(performance.now() - start)
    if (result.status !== 200) throw new Error(`GET ${url} answered ${result.status}`)
    bytes = result.bytes
    items = (JSON.parse(result.body) as { Data: unknown[] }).Data.length
  }
  return { items, megabytes: Math.round((bytes / 1e6) * 10) / 10, ...summary(samples) }
}

async function approveAll(base: string, ids: string[]): Promise<{ perSecond: number; ms: number }> {
  let next = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++] as string
        const result = await send('PUT', `${base}/api/portal/requests/approve/${id}`)
        if (result.status !== 200) throw new Error(`approve ${id} answered ${result.status}`)
      }
    })
  )
  const ms = performance.now() - start
  return { perSecond: Math.round((ids.length / ms) * 1000), ms: Math.round(ms) }
}

async function main(): Promise<void> {
  const report = startReport('emulator-throughput')
  const emu = await startEmulator({ secret, seed: 7, seedPending: 0, seedApproved: 0 })
  try {
    const generateStart = performance.now()
    const ids = emu.control.generatePending(requestCount)
    const generateMs = Math.round(performance.now() - generateStart)

    const pendingAll = await timeList(`${emu.url}/api/portal/requests?p=-1&approved=false`, 5)
    const firstPage = await timeList(`${emu.url}/api/portal/requests?p=1&approved=false`, 50)
    const approvedOverHttp = await approveAll(emu.url, ids.slice(0, approvalCount))

    const directIds = ids.slice(approvalCount, approvalCount * 2)
    const directStart = performance.now()
    for (const id of directIds) emu.control.approveDirectly(id)
    const directMs = performance.now() - directStart

    const allAfter = await timeList(`${emu.url}/api/portal/requests?p=-1`, 3)
    report.finish(
      [
        figure(`emulator: list ${requestCount} pending (p=-1), median`, pendingAll.medianMs, 'ms'),
        figure('emulator: approvals over HTTP', approvedOverHttp.perSecond, 'per s')
      ],
      {
        requests: requestCount,
        generatePendingMs: generateMs,
        listPendingAllP1: pendingAll,
        listPendingPage1: firstPage,
        approveOverHttp: { count: approvalCount, concurrency, ...approvedOverHttp },
        approveInProcess: {
          count: directIds.length,
          perSecond: Math.round((directIds.length / directMs) * 1000)
        },
        listAllAfterApprovals: allAfter,
        stats: { pending: emu.control.stats().pending, requests: emu.control.stats().requests }
      }
    )
  } finally {
    agent.destroy()
    await emu.close()
  }
}

runBench(main)
