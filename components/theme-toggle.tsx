"use client";

import * as React from "react";
import { MoonIcon, SunIcon } from "lucide-react";
import { useTheme } from "next-themes";

import { cn } from "@/lib/utils";
import { Button, type ButtonProps } from "@/components/ui/button";

type ThemeToggleProps = Omit<ButtonProps, "onClick" | "children" | "asChild"> & {
  /** Accessible name, e.g. the translated "Toggle theme". */
  label: string;
};

/**
 * Flips between light and dark. The icons swap through the `dark:` variant rather than
 * reading the theme in render, so server and client markup match before hydration.
 */
export function ThemeToggle({
  label,
  variant = "ghost",
  size = "icon",
  className,
  ...props
}: ThemeToggleProps): React.JSX.Element {
  const { resolvedTheme, setTheme } = useTheme();
  return (
    <Button
      type="button"
      variant={variant}
      size={size}
      aria-label={label}
      title={label}
      className={cn("relative", className)}
      onClick={() => setTheme(resolvedTheme === "dark" ? "light" : "dark")}
      {...props}
    >
      <SunIcon aria-hidden className="scale-100 rotate-0 transition-all dark:scale-0 dark:-rotate-90" />
      <MoonIcon aria-hidden className="absolute scale-0 rotate-90 transition-all dark:scale-100 dark:rotate-0" />
    </Button>
  );
}
