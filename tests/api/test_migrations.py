"""The migrations and the models describe the same schema, so `flask db upgrade` builds what the code expects."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from netevents.extensions import db
from netevents.people.search import include_name


def test_migrated_database_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True, "include_name": include_name}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], (
        "The models and the migrations disagree; run `flask db migrate -m '...'`, review the script and commit it:\n"
        + "\n".join(f"  {difference}" for difference in differences)
    )
