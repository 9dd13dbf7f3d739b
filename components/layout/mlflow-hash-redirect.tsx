"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { mlflowHashTarget } from "@/lib/url/mlflow-hash";

/** On `/`: sends MLflow UI links (`/#/experiments/1/runs/abc`) to this app's pages; the hash never reaches the server. */
export function MlflowHashRedirect() {
  const router = useRouter();
  useEffect(() => {
    const follow = () => {
      const target = mlflowHashTarget(window.location.hash);
      if (target) router.replace(target);
    };
    follow();
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, [router]);
  return null;
}
