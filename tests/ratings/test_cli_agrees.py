"""`flask instruments rate` gives the same ratings as the pages store."""

import json

from review_app.cases.models import Case
from review_app.config import PROJECT_ROOT
from review_app.extensions import db
from review_app.ratings import queries
from tests.ratings.test_completeness import _fill, _make_in_home
from tests.ratings.test_item_pages import _case_of


def test_the_cli_and_the_pages_agree_on_every_item_and_outcome(demo, tmp_path):
    for case_type in ("foster_care", "in_home"):
        case_id = _case_of(demo, "reviewer", case_type=case_type) or _make_in_home(demo)
        _fill(demo, case_id)
        with demo.app_context():
            case = db.session.get(Case, case_id)
            values = queries.answer_values(queries.answers(case))
            stored = {r.item_id: r.rating for r in queries.item_reviews(case).values()}
            outcomes = {o.outcome_id: o.rating for o in queries.outcome_ratings(case).values()}
        answers = tmp_path / f"{case_type}.json"
        answers.write_text(json.dumps(values))
        result = demo.test_cli_runner().invoke(
            args=[
                "instruments",
                "rate",
                str(PROJECT_ROOT / "instruments" / "cfsr-round4.yaml"),
                "--case-type",
                case_type,
                str(answers),
            ]
        )
        assert result.exit_code == 0, result.output
        printed = json.loads(result.output)
        assert {k: v["rating"] for k, v in printed["items"].items()} == {
            k: v for k, v in stored.items() if k != "face"
        }
        assert printed["outcomes"] == outcomes
        if case_type == "in_home":
            assert all(printed["items"][str(n)]["rating"] == "not_applicable" for n in range(4, 12))
