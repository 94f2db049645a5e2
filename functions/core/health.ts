import type { HealthProbe } from './ports';

export interface ComponentStatus {
  readonly status: 'ok' | 'down';
  readonly latencyMs: number;
  readonly detail?: string;
}

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly components: Record<string, ComponentStatus>;
}

/** Runs every probe in parallel, each bounded by a timeout, and reports each one. */
export async function checkHealth(probes: readonly HealthProbe[], timeoutMs = 3000): Promise<HealthReport> {
  const entries = await Promise.all(
    probes.map(async (probe): Promise<[string, ComponentStatus]> => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          probe.check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [probe.name, { status: 'ok', latencyMs: Math.round(performance.now() - started) }];
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        return [probe.name, { status: 'down', latencyMs: Math.round(performance.now() - started), detail }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const components = Object.fromEntries(entries);
  const status = entries.every(([, c]) => c.status === 'ok') ? 'ok' : 'degraded';
  return { status, components };
}
