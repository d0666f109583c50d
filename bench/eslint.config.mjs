// Config file for the ESLint CLI runs of the harness (scale-out: --concurrency, --cache). Worker
// threads load this file themselves, so the configuration is chosen by environment variables:
// BENCH_CONFIG (a name from configs.mjs, default "plugin") and BENCH_PROBE_LOG (optional file that
// records every file actually linted).
import { buildConfig } from './configs.mjs';

export default buildConfig(process.env.BENCH_CONFIG ?? 'plugin', { probeLog: process.env.BENCH_PROBE_LOG || undefined });
