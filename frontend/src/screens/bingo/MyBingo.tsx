import { Page } from "../../components/Page";

/** `/e/{id}/bingo`: my bingo card. */
export default function MyBingo() {
  return (
    <Page title="Bingo">
      <p>This screen is being built.</p>
    </Page>
  );
}
