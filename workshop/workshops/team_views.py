"""Team invitations by email: re-send and revoke (organizers), and the invitee's link."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from workshop.auth import service as accounts
from workshop.workshops import team
from workshop.workshops.access import load_for
from workshop.workshops.forms import ConfirmForm, JoinTeamForm
from workshop.workshops.service import WorkshopError
from workshop.platform.security import rate_limit

bp = Blueprint("team", __name__)


@bp.post("/manage/w/<slug>/team/invitations/<int:team_invitation_id>/<any(resend, revoke):action>")
@login_required
def change_invitation(slug: str, team_invitation_id: int, action: str):
    workshop = load_for(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if action == "resend":
            invitation = team.resend(workshop, team_invitation_id, by=current_user._get_current_object())
            flash(_("The invitation is sent again to %(email)s, with a new link valid for 7 days.",
                    email=invitation.email), "success")
        else:
            invitation = team.revoke(workshop, team_invitation_id)
            flash(_("The invitation to %(email)s is withdrawn: its link no longer works.",
                    email=invitation.email), "success")
    except WorkshopError as error:
        flash(error.translated(), "error")
    return redirect(url_for("manage.team", slug=slug))


@bp.route("/team-invitations/<token>", methods=["GET", "POST"])
@rate_limit("account_link", methods=("GET", "POST"))
def invitation(token: str):
    found, reason = team.find(token)
    if found is None:
        return render_template("auth/invalid_link.html", kind="team", reason=reason), 404
    workshop = found.workshop
    role = team.role_label(found.role)
    account = accounts.find_user(found.email)
    if account is not None:
        # The address has had an account since the invitation was sent: joining needs it signed in.
        signed_in_as_it = current_user.is_authenticated and current_user.id == account.id
        form = ConfirmForm()
        if signed_in_as_it and request.method == "POST" and form.validate_on_submit():
            team.accept(found, user=account)
            flash(_("You are on the team of %(title)s as %(role)s.", title=workshop.title, role=role), "success")
            return redirect(url_for("manage.workshop", slug=workshop.slug))
        return render_template("manage/team_join.html", invitation=found, workshop=workshop, role=role,
                               form=form, account=account, signed_in_as_it=signed_in_as_it)
    form = JoinTeamForm()
    if form.validate_on_submit():
        try:
            user = team.accept(found, name=form.name.data, password=form.password.data)
        except accounts.AccountError as error:
            form.password.errors.append(error.translated())
        else:
            login_user(user)
            flash(_("Welcome, %(name)s: you are on the team of %(title)s as %(role)s.",
                    name=user.name, title=workshop.title, role=role), "success")
            return redirect(url_for("manage.workshop", slug=workshop.slug))
    return render_template("manage/team_join.html", invitation=found, workshop=workshop, role=role,
                           form=form, account=None), 422 if form.errors else 200
