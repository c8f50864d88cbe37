import { Page } from "../../components/Page";

/** `/me/profile`: my profile and sharing choices, my data. */
export default function Profile() {
  return (
    <Page title="My profile">
      <p>This screen is being built.</p>
    </Page>
  );
}
