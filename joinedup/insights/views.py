from django.shortcuts import render

from joinedup.audit.services import list_read_audit
from joinedup.organisations.decorators import require_perm
from joinedup.organisations.permissions import Perm
from joinedup.referrals import selectors as referral_selectors
from joinedup.referrals import timeliness

from .charts import trend_chart
from .selectors import dashboard, period_for, periods


@require_perm(Perm.DASHBOARD_VIEW)
def dashboard_view(request):
    """The period's totals, a row per delivery partner, and month by month for the partnership or,
    with `?partner=`, for one partner."""
    period = period_for(request.GET.get("period"))
    board = dashboard(actor=request.membership, period=period)
    chosen = board.partner(request.GET.get("partner"))
    months = list(chosen.months.items()) if chosen else board.by_month
    who = chosen.partner if chosen else "the whole partnership"
    context = {
        "dashboard": board,
        "periods": periods(),
        "chosen": chosen,
        "months": months,
        "trend": trend_chart(months, title=f"Referrals, starts and job starts by month, {who}"),
        "conditions": referral_selectors.referrals_by_health_condition(
            actor=request.membership, start=period.start, end=period.end
        ),
    }
    return render(request, "insights/dashboard.html", context)


@require_perm(Perm.REFERRAL_TRIAGE_ALL, Perm.REFERRAL_TRIAGE_ORG)
def timeliness_view(request):
    """Overdue referrals and each delivery partner's responsiveness (the programme manager's view;
    a partner manager sees their own organisation's)."""
    actor = request.membership
    since, responsiveness = timeliness.responsiveness_for(actor=actor)
    queues = timeliness.overdue_queues(actor=actor)
    list_read_audit(request, "timeliness", shown=len(queues.untriaged) + len(queues.undecided))
    context = {
        "queues": queues,
        "responsiveness": responsiveness,
        "since": since,
        "window_days": timeliness.RESPONSIVENESS_WINDOW_DAYS,
    }
    return render(request, "referrals/timeliness.html", context)
