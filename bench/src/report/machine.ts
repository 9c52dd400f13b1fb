import os from 'node:os';

const formatLoad = (load: readonly number[]) => load.map((l) => l.toFixed(2)).join(' / ');

/**
 * Where the figures were taken: they mean little without it. Other jobs on a shared machine move
 * them by tens of percent, so it says how busy the machine was when the run began and ended.
 */
export function describeMachine(loadAtStart: readonly number[]): string[] {
  const cpus = os.cpus();
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length} logical CPUs, ${(os.totalmem() / 1e9).toFixed(1)} GB RAM, ${os.type()} ${os.release()}`,
    `- Node.js ${process.version}`,
    `- Load average (1/5/15 min) when the run began: ${formatLoad(loadAtStart)}; when the report was written: ${formatLoad(os.loadavg())}. Above ${cpus.length} (the CPU count), other jobs took CPU time from the servers and the generator.`,
  ];
}
