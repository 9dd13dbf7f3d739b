"use client";

import { useEffect, useState } from "react";

type Theme = "light" | "dark";

/** Switches light/dark; the choice is kept in localStorage and applied before paint by app/layout. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme | null>(null);

  useEffect(() => {
    setTheme(document.documentElement.classList.contains("dark") ? "dark" : "light");
  }, []);

  function toggle() {
    const next: Theme = theme === "dark" ? "light" : "dark";
    document.documentElement.classList.toggle("dark", next === "dark");
    localStorage.setItem("theme", next);
    setTheme(next);
  }

  const label = theme === "dark" ? "Switch to light theme" : "Switch to dark theme";
  return (
    <button
      type="button"
      onClick={toggle}
      aria-label={label}
      title={label}
      className="rounded-md border border-border px-2 py-1 text-sm hover:bg-muted"
    >
      {theme === "dark" ? "☀" : "☾"}
    </button>
  );
}
