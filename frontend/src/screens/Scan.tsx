import { Page } from "../components/Page";

/** `/scan`: meeting people by scanning their badges (the networking screens grow here). */
export default function Scan() {
  return (
    <Page title="Meet people">
      <p>Scanning another attendee's badge to say “we met” arrives soon. Meanwhile, open <a href="/me">your badge</a> so others can find your public card.</p>
    </Page>
  );
}
