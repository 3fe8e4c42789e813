import { ApiKeysPanel } from "@/components/settings/api-keys-panel";

export default function Page(): React.JSX.Element {
  return <ApiKeysPanel />;
}
