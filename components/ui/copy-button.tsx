"use client";

import * as React from "react";
import { CheckIcon, CopyIcon } from "lucide-react";

import { cn } from "@/lib/utils";
import { Button, type ButtonProps } from "@/components/ui/button";

const COPIED_FEEDBACK_MS = 2000;

type CopyButtonProps = Omit<ButtonProps, "value" | "onClick" | "children" | "asChild"> & {
  /** The exact string placed on the clipboard. */
  value: string;
  /** Accessible name, e.g. the translated "Copy endpoint URL". */
  label: string;
  /** Announced to screen readers after a successful copy, e.g. the translated "Copied". */
  copiedLabel?: string;
  onCopied?: () => void;
  onCopyError?: (error: unknown) => void;
};

/**
 * The async Clipboard API only exists in secure contexts, and a self-hosted console is often
 * reached over plain http on a LAN, so fall back to a hidden textarea + execCommand there.
 * The textarea goes inside the open dialog, if any, so Radix's focus trap does not steal focus.
 */
async function writeToClipboard(text: string, anchor: HTMLElement): Promise<void> {
  if (typeof navigator !== "undefined" && navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Permission denied or document not focused: try the legacy path below.
    }
  }
  const container = anchor.closest<HTMLElement>("[role='dialog'],[role='alertdialog']") ?? document.body;
  const textarea = document.createElement("textarea");
  textarea.value = text;
  textarea.setAttribute("readonly", "");
  textarea.style.position = "fixed";
  textarea.style.top = "0";
  textarea.style.left = "0";
  textarea.style.opacity = "0";
  container.appendChild(textarea);
  try {
    textarea.select();
    if (!document.execCommand("copy")) throw new Error("The browser refused to copy to the clipboard");
  } finally {
    textarea.remove();
    anchor.focus();
  }
}

function CopyButton({
  value,
  label,
  copiedLabel,
  onCopied,
  onCopyError,
  variant = "ghost",
  size = "icon-sm",
  className,
  ...props
}: CopyButtonProps): React.JSX.Element {
  const [copied, setCopied] = React.useState(false);
  const timer = React.useRef<ReturnType<typeof setTimeout> | null>(null);

  React.useEffect(() => {
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);

  async function handleClick(event: React.MouseEvent<HTMLButtonElement>): Promise<void> {
    const anchor = event.currentTarget;
    try {
      await writeToClipboard(value, anchor);
    } catch (error) {
      onCopyError?.(error);
      return;
    }
    setCopied(true);
    onCopied?.();
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(false), COPIED_FEEDBACK_MS);
  }

  return (
    <>
      <Button
        type="button"
        data-slot="copy-button"
        data-copied={copied || undefined}
        variant={variant}
        size={size}
        aria-label={label}
        title={label}
        className={cn("text-muted-foreground hover:text-foreground", className)}
        onClick={handleClick}
        {...props}
      >
        {copied ? <CheckIcon aria-hidden className="text-success" /> : <CopyIcon aria-hidden />}
      </Button>
      {copiedLabel ? (
        <span role="status" aria-live="polite" className="sr-only">
          {copied ? copiedLabel : ""}
        </span>
      ) : null}
    </>
  );
}

export { CopyButton, type CopyButtonProps };
