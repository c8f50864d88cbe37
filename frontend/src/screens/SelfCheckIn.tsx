import { Page } from "../components/Page";

/** `/p/{secret}`: checking myself in with the entrance poster's QR. */
export default function SelfCheckIn() {
  return (
    <Page title="Check in">
      <p>This screen is being built.</p>
    </Page>
  );
}
