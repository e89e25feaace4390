import os from 'node:os'

export interface Machine {
  cores: number
  model: string
  memoryGb: number
  platform: string
  node: string
  /** 1, 5 and 15 minute load averages when the benchmark started. */
  loadAverage: number[]
}

/** What the figures were measured on: the box is shared, so its load travels with them. */
export function machine(): Machine {
  const cpus = os.cpus()
  return {
    cores: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100)
  }
}
