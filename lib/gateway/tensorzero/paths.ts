/** TensorZero's HTTP API at the root (its clients' `gateway_url`), served beside our own routes. */
export const TENSORZERO_METHODS = { "/inference": "POST", "/feedback": "POST", "/health": "GET", "/status": "GET" } as const;
export type TensorZeroPath = keyof typeof TENSORZERO_METHODS;
export const TENSORZERO_PATHS = Object.keys(TENSORZERO_METHODS) as TensorZeroPath[];

export const isTensorZeroPath = (path: string): path is TensorZeroPath => Object.hasOwn(TENSORZERO_METHODS, path);
