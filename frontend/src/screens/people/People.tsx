import { Page } from "../../components/Page";

/** `/e/{id}/people`: who is here (directory) and who to meet (suggestions). */
export default function People() {
  return (
    <Page title="People here">
      <p>This screen is being built.</p>
    </Page>
  );
}
