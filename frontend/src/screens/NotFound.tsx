import { Page } from "../components/Page";

export default function NotFound() {
  return (
    <Page title="Page not found">
      <p>There is nothing at this address. Check the link, or go to the <a href="/">upcoming events</a>.</p>
    </Page>
  );
}
