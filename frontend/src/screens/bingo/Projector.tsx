import { Page } from "../../components/Page";

/** `/organize/events/{id}/projector`: the bingo leaderboard and the room's numbers for a big screen. */
export default function Projector() {
  return (
    <Page title="Projector">
      <p>This screen is being built.</p>
    </Page>
  );
}
