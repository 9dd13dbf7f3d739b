/**
 * The MLflow server version this app answers on `GET /version`: an MLflow 3 release whose REST
 * surface (trace V3 APIs, OTLP span logging at /v1/traces, assessments) the app serves, so MLflow 3
 * clients take their span-logging path instead of uploading trace artifacts.
 */
export const MLFLOW_SERVER_VERSION = "3.6.0";
