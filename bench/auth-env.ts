/**
 * The benches start the app as users do, with auth on: LLMOPS_ADMIN_API_KEY makes this key an admin
 * key at start-up, and every request sends it (the key lookup is part of what is measured).
 */
export const BENCH_KEY = "llmops_bench_admin_key_0123456789abcdef";
export const benchAuthEnv = { LLMOPS_ADMIN_API_KEY: BENCH_KEY };
export const benchHeaders = { authorization: `Bearer ${BENCH_KEY}` };
