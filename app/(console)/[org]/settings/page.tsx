import { GeneralSettings } from "@/components/settings/general-settings";

export default function Page(): React.JSX.Element {
  return <GeneralSettings />;
}
