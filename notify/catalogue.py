"""Every message the portal sends, in one place: its key (the folder of its templates under templates/messages/),
what it is, when it goes and to whom. `notify.services.send` refuses a key that is not here, and the suite checks that
every entry has its templates (subject.txt and body.txt, and sms.txt for those that also go by SMS) and that every
template folder has an entry. Recipients are always derived from offices (accounts.offices) or from the person the
matter is about; each gets the message in their own language.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    what: str
    when: str
    to: str
    sms: bool = False  # also by SMS, to those who chose it (and, for alerts, to the office's duty number)


MESSAGES: dict[str, Message] = {
    # --- Accounts ---------------------------------------------------------------------------------------------
    "accounts.created": Message(
        what="Your account was created, and how to sign in the first time.",
        when="An administrator or ILO provisions an account (accounts.services.user_create).",
        to="The new user.",
    ),
    # --- Citizen services -------------------------------------------------------------------------------------
    "citizen.code": Message(
        what="A one-time code that proves the e-mail address: to finish signing up, or to track a request without an account.",
        when="Someone signs up, asks for a new sign-up code, or tracks a request by its number (citizen.services).",
        to="The address being proved: the one signing up, or the one the request was filed with; always by e-mail.",
    ),
    "citizen.account_exists": Message(
        what="No new account: this address already has one, and how to sign in with it (sent instead of a code, so that the sign-up page never tells who has an account).",
        when="Someone signs up with an e-mail address that already has an account (citizen.services.signup_start).",
        to="The address given, which is the account's; always by e-mail.",
    ),
    "citizen.request_created": Message(
        what="The request was received: its acknowledgement number, who handles it and by when.",
        when="A citizen files a request (citizen.services.request_create).",
        to="The citizen who filed it.",
        sms=True,
    ),
    "citizen.lost_report_issued": Message(
        what="The lost-article report, issued at once: its number, its check code and where to download its PDF.",
        when="A citizen reports a lost article or document (citizen.services.request_create, the instant service).",
        to="The citizen who reported it.",
        sms=True,
    ),
    "citizen.request_new": Message(
        what="A new citizen request to act on, with its deadline.",
        when="A citizen files a request (citizen.services.request_create).",
        to="The officers of the office handling it (the station and its own address, the district's SP office or the state's ILOs).",
    ),
    "citizen.request_stage_changed": Message(
        what="The request has a new status (taken up, more information wanted, FIR registered, document issued, closed, rejected), with the police's words.",
        when="The office handling it takes a step (citizen.services: accept, ask_info, register_fir, issue, close, reject).",
        to="The citizen who filed it.",
        sms=True,
    ),
    "citizen.document_revoked": Message(
        what="A certificate or NOC issued to the citizen was revoked: which, by whom, and the police's reason.",
        when="The station revokes a document it issued (citizen.services.document_revoke).",
        to="The citizen who filed the request.",
        sms=True,
    ),
    "citizen.request_answered": Message(
        what="The citizen answered the question the police asked about the request.",
        when="The citizen answers on the portal (citizen.services.request_answer).",
        to="The officers of the office handling it.",
    ),
    "citizen.request_escalated": Message(
        what="The station did not act in time, so the request went up to the district's SP office or the state's ILOs, who must act by a new date.",
        when="An e-FIR passes its deadline at the station (citizen.services.request_escalate, from workflow.services.escalate_overdue).",
        to="The citizen who filed it.",
        sms=True,
    ),
    "citizen.progress_due": Message(
        what="The citizen must be told of the request's progress within 90 days of filing (BNSS s.193).",
        when="The hourly periodic job finds a request open for 75 days (citizen.services.citizen_reminders_send), once per request.",
        to="The officers of the office handling it.",
    ),
    # --- Interpol Notices -------------------------------------------------------------------------------------
    "notices.stage_changed": Message(
        what="A notice request moved to a new stage (returned, forwarded, refused, approved, INTERPOL's answer...), with the comment.",
        when="Someone other than its drafter moves the request (notices.services: every review step).",
        to="The officer who drafted the request.",
    ),
    # --- Interpol References ----------------------------------------------------------------------------------
    "references.stage_changed": Message(
        what="A reference moved to a new stage (returned, forwarded, refused, sent abroad, closed...), with the comment.",
        when="Someone other than its drafter moves the reference (references.services: every review step).",
        to="The officer who drafted the reference.",
    ),
    "references.reply_received": Message(
        what="A foreign NCB's reply to a reference was recorded.",
        when="The NCB records a reply from abroad (references.services.reference_reply_record).",
        to="The officer who drafted the reference.",
    ),
    # --- Broadcast --------------------------------------------------------------------------------------------
    "broadcast.disseminated": Message(
        what="A broadcast item reached the office, for action or for information, with its due date.",
        when="The NCB disseminates an item to agencies, or an ILO passes it on to unit offices (broadcast.services).",
        to="The officers of the office it is addressed to: the agency's ILOs, or the unit office's UOs.",
    ),
    "broadcast.reminder": Message(
        what="A broadcast item is past its due date and still waits for an acknowledgement or an action report.",
        when="The hourly periodic job finds an overdue addressee (broadcast.services.broadcast_reminders_send), at most once a day.",
        to="The officers of the overdue office: the agency's ILOs, or the unit office's UOs.",
    ),
    # --- Connect ----------------------------------------------------------------------------------------------
    "connect.unread_digest": Message(
        what="A summary of the Connect messages the officer has neither read nor been told of, thread by thread.",
        when="The hourly periodic job (connect.services.unread_digest_send), for someone not seen in Connect for ten minutes.",
        to="Each participant with unread messages who is away from Connect.",
    ),
    # --- Resources and training -------------------------------------------------------------------------------
    "resources.enrolment_placed": Message(
        what="The officer has a place in a training session (nominated by their agency, or accepted by the NCB), when and where.",
        when="An ILO or the NCB nominates the officer, or the NCB accepts their request (resources.services).",
        to="The officer enrolled.",
    ),
    # --- Workflow: deadlines and transmission -----------------------------------------------------------------
    "workflow.task_overdue": Message(
        what="Work waited past its deadline at an office: which, how late, and (when it was handed over) that it is now the reader's to act on, by when.",
        when="The five-minute periodic job finds an open task past its deadline (workflow.services.escalate_overdue), once per task.",
        to="The office above the late one (a station's district SP office, a unit's or district's ILOs, an agency's NCB officers), the nearest staffed one above when it has nobody; the NCB's administrators for its own late work; the office that takes over a handed-over request.",
    ),
    # --- Crime alerts -----------------------------------------------------------------------------------------
    "alerts.published": Message(
        what="A crime alert of high severity (Extreme or Severe) reached the office: what, where to look, what to do, until when, and its link.",
        when="An alert is published, in the transaction that writes its inbox rows (alerts.services.deliveries_write, officers_tell).",
        to="The officers of every office it reached (a station's officers, a subscribed unit office's UOs), each in their own language; by SMS also to those offices' duty numbers and to the officers who chose SMS.",
        sms=True,
    ),
    "alerts.updated": Message(
        what="A crime alert of high severity was updated (new content, or new offices reached), with the publisher's note.",
        when="An alert is updated, in the transaction that writes the new version's inbox rows (alerts.services.officers_tell).",
        to="The officers of every office the new version reached; by SMS also to those offices' duty numbers and to the officers who chose SMS.",
        sms=True,
    ),
    "alerts.reminder": Message(
        what="The office has not yet acknowledged an active alert: the alert again, and its link to acknowledge it.",
        when="The five-minute periodic job finds offices that have not acknowledged an active alert within the interval (ALERTS_REMINDER_INTERVAL, an hour by default; alerts.services.alert_reminders_send), once per interval.",
        to="The officers of each office that has not acknowledged.",
    ),
    # --- Records: matches against the national records --------------------------------------------------------
    "records.match_found": Message(
        what="An incoming item (notice, reference, broadcast or alert) may concern a person or vehicle in the office's records: the score, why, and a link to confirm or reject it.",
        when="Screening finds a strong hit, once per item and record (records.crossmatch, on arrival or in the nightly re-screening; records.services.hit_notify).",
        to="The officers of the office that owns the record: its agency's ILOs, or the NCB's officers for a record without an owner.",
    ),
    "records.match_found_handler": Message(
        what="A record held by another office may be the one in the item the officer handles; that office decides (a restricted record is only named as such).",
        when="With records.match_found, when the officer handling the item is not one of the owner's officers (records.services.hit_notify).",
        to="The officer handling the item (who drafted, registered or published it).",
    ),
    "records.match_decided": Message(
        what="The owner office confirmed or rejected a possible match, and why (not why for a restricted record).",
        when="The owner office or the NCB decides a hit (records.services.hit_decide), unless the handler decided it.",
        to="The officer handling the item.",
    ),
}


def get(key: str) -> Message:
    try:
        return MESSAGES[key]
    except KeyError:
        raise KeyError(f"{key!r} is not in notify/catalogue.py: add it there with its templates") from None
