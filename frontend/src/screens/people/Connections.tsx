import { Page } from "../../components/Page";

/** `/me/connections`: the people I met, by event. */
export default function Connections() {
  return (
    <Page title="My connections">
      <p>This screen is being built.</p>
    </Page>
  );
}
