import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and WASM store engines are loaded from node_modules at run time, never bundled,
  // and never opened during `next build` (see db/client.server.ts).
  serverExternalPackages: ["chdb", "@chdb/lib-linux-x64-gnu", "@electric-sql/pglite", "postgres", "@node-rs/argon2"],
  poweredByHeader: false,
  typedRoutes: false,
  // MLflow's web UI calls the same API under /ajax-api; one rewrite serves both prefixes.
  async rewrites() {
    return [
      { source: "/ajax-api/2.0/mlflow/:path*", destination: "/api/2.0/mlflow/:path*" },
      { source: "/ajax-api/2.0/mlflow-artifacts/:path*", destination: "/api/2.0/mlflow-artifacts/:path*" },
      { source: "/ajax-api/3.0/mlflow/:path*", destination: "/api/3.0/mlflow/:path*" },
    ];
  },
  // Datasets moved out of labelling (issue 15); 308 keeps the method, so old API clients still save.
  async redirects() {
    return [
      { source: "/labelling/datasets", destination: "/datasets", permanent: true },
      { source: "/labelling/datasets/:path*", destination: "/datasets/:path*", permanent: true },
      { source: "/api/labelling/datasets", destination: "/api/datasets", permanent: true },
      { source: "/api/labelling/datasets/:path*", destination: "/api/datasets/:path*", permanent: true },
    ];
  },
};

export default nextConfig;
