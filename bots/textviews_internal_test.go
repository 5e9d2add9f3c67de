package bots

import (
	"reflect"
	"testing"

	"github.com/engage-org/engage/prompts"
)

// Ensure every text given a view type reads, in each language, only names its
// view has: a field or a method. A name the view lacks would fail when the text
// is shown (a struct has no "missing key" to fall back on).
func TestTextViews_Fields(t *testing.T) {
	cat, err := prompts.LoadStrict(func(key string, err error) {})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key  string
		view any
	}{
		{"actions.campaign", actionsText{}},
		{"actions.meeting", actionsText{}},
		{"actions.poll", actionsText{}},
		{"actions.project", actionsText{}},
		{"allocate.post", allocatePostText{}},
		{"away.set", awaySetText{}},
		{"away.show", awayShowText{}},
		{"backup.set", backupSetText{}},
		{"backup.show", slotText{}},
		{"backup.you", backupYouText{}},
		{"budget.funded_referent", budgetFundedReferentText{}},
		{"button.vote_answer", buttonVoteAnswerText{}},
		{"campaign.backers", campaignBackersText{}},
		{"campaign.button.amount", campaignButtonAmountText{}},
		{"campaign.button.reward", campaignButtonRewardText{}},
		{"campaign.card", campaignView{}},
		{"campaign.closed_by_you", campaignClosedByYouText{}},
		{"campaign.collector", campaignCollectorText{}},
		{"campaign.collector_you", campaignCollectorText{}},
		{"campaign.created_dm", campaignCreatedDmText{}},
		{"campaign.milestone", campaignMilestoneText{}},
		{"campaign.owe", pledgeText{}},
		{"campaign.refunds_due", campaignRefundsDueText{}},
		{"campaign.released", pledgeText{}},
		{"campaign.released_refund", pledgeText{}},
		{"campaign.reminder", campaignReminderText{}},
		{"campaign.reminder.follower", campaignReminderText{}},
		{"campaign.stretch", campaignStretchText{}},
		{"campaigns", campaignsText{}},
		{"checkin.ask.due", checkinQuestionText{}},
		{"checkin.ask.shared", checkinQuestionText{}},
		{"checkin.ask.step", checkinQuestionText{}},
		{"checkin.escalate", checkinEscalateText{}},
		{"checkin.nobody", nudgeText{}},
		{"checkin.nudge", nudgeText{}},
		{"checkin.overdue_note", checkinOverdueNoteText{}},
		{"checkin.saved", checkinSavedText{}},
		{"checkin.self", checkinSelfText{}},
		{"checkin.skipped", checkinSkippedText{}},
		{"checkin.started", checkinStartedText{}},
		{"checkin.summary", summaryText{}},
		{"checkin.thanks", checkinThanksText{}},
		{"collect.done", collectDoneText{}},
		{"collect.thanks", collectThanksText{}},
		{"community.created", communityCreatedText{}},
		{"community.invite", communityInviteText{}},
		{"community.joined", communityJoinedText{}},
		{"community.show", communityShowText{}},
		{"contact.show", contactShowText{}},
		{"date.reading", dateReadingText{}},
		{"date.slot", dateSlotText{}},
		{"digest", digest{}},
		{"digest.already", digestAlreadyText{}},
		{"digest.posted", digestPostedText{}},
		{"digest.skipped", digestSkippedText{}},
		{"dm.closed", dmClosedText{}},
		{"find", findText{}},
		{"follow.off", followText{}},
		{"follow.on", followText{}},
		{"form.ask", formAskText{}},
		{"form.news", formNewsText{}},
		{"form.nextstep", formNextstepText{}},
		{"form.pledge", formPledgeText{}},
		{"form.pledge.amount", formPledgeAmountText{}},
		{"form.pledge.hours", formPledgeHoursText{}},
		{"help", helpText{}},
		{"help.section", section{}},
		{"hours.given", hoursGivenText{}},
		{"hours.given_you", hoursGivenText{}},
		{"impact", impactText{}},
		{"impact.chart.title", impactChartTitleText{}},
		{"impact.tick", impactTickText{}},
		{"ledger", ledgerText{}},
		{"like", likeText{}},
		{"link.code", linkCodeText{}},
		{"link.done", linkDoneText{}},
		{"llm.set", llmStatusText{}},
		{"llm.status", llmStatusText{}},
		{"me", meText{}},
		{"meeting.attendees", attendeesView{}},
		{"meeting.cancel_ask", meetingEditText{}},
		{"meeting.cancel_no", meetingEditText{}},
		{"meeting.cancel_yes", meetingEditText{}},
		{"meeting.canceled", meetingEditText{}},
		{"meeting.canceled_dm", meetingEditText{}},
		{"meeting.canceled_done", meetingEditText{}},
		{"meeting.card", meetingCardView{}},
		{"meeting.created", meetingCreatedText{}},
		{"meeting.here_done", presentView{}},
		{"meeting.minutes", minutesView{}},
		{"meeting.minutes_done", minutesView{}},
		{"meeting.moved", meetingEditText{}},
		{"meeting.moved_dm", meetingEditText{}},
		{"meeting.moved_done", meetingEditText{}},
		{"meeting.places_done", placesView{}},
		{"meeting.poll_opened", meetingPollOpenedText{}},
		{"meeting.poll_slot", meetingPollSlotText{}},
		{"meeting.present_done", presentView{}},
		{"meeting.promoted", rsvpView{}},
		{"meeting.remind", meetingRemindText{}},
		{"meeting.remind_dm", remindView{}},
		{"meeting.rsvp_done", rsvpView{}},
		{"meeting.rsvp_ics", rsvpView{}},
		{"meeting.show", meetingShowText{}},
		{"members", membersText{}},
		{"needs.post", needsPostText{}},
		{"news.backer", newsBackerText{}},
		{"news.follower", newsBackerText{}},
		{"news.post", newsBackerText{}},
		{"news.posted", newsPostedText{}},
		{"nextstep.follower", nextStepText{}},
		{"nextstep.post", nextStepText{}},
		{"nextstep.saved", nextStepText{}},
		{"nextstep.shared", nextstepSharedText{}},
		{"offer.referent", offerThanksText{}},
		{"offer.thanks", offerThanksText{}},
		{"pledge.cancelled", pledgeCancelledText{}},
		{"pledge.done", pledgeText{}},
		{"pledge.withdrawn", pledgeWithdrawnYouText{}},
		{"pledge.withdrawn_you", pledgeWithdrawnYouText{}},
		{"poll.closed_done", pollClosedDoneText{}},
		{"poll.date_chosen", pollDateChosenText{}},
		{"poll.message", pollView{}},
		{"poll.opened", pollOpenedText{}},
		{"poll.remind", pollRemindView{}},
		{"poll.result", resultView{}},
		{"poll.result_stv", stvResultView{}},
		{"polls", pollsText{}},
		{"project.created", projectCreatedText{}},
		{"project.funds", projectFundsText{}},
		{"project.show", projectShowText{}},
		{"project.stage", projectStageText{}},
		{"projects", projectsText{}},
		{"proxy.already", proxyView{}},
		{"proxy.canceled", proxyView{}},
		{"proxy.canceled_holder", proxyView{}},
		{"proxy.given", proxyView{}},
		{"proxy.given_holder", proxyView{}},
		{"proxy.show", proxyView{}},
		{"qa.answer_you", qaAnsweredText{}},
		{"qa.answered", qaAnsweredText{}},
		{"qa.asked", qaAskedText{}},
		{"qa.discarded", qaDiscardedText{}},
		{"qa.faq", qaFaqText{}},
		{"qa.faq_new", qaDiscardedText{}},
		{"qa.faq_posted", qaDiscardedText{}},
		{"qa.form.title", qaAskedText{}},
		{"qa.list", qaListText{}},
		{"qa.new", qaAskedText{}},
		{"qa.proposal", qaProposalText{}},
		{"referent.added", referentAddedText{}},
		{"referent.you", referentYouText{}},
		{"refund.done", refundDoneText{}},
		{"refund.you", refundDoneText{}},
		{"reward.added", rewardAddedText{}},
		{"role.set", roleSetText{}},
		{"schedule", pledgeText{}},
		{"schedule.csv", scheduleCsvText{}},
		{"schedule.csv.name", scheduleCsvText{}},
		{"slot.handover", slotHandoverText{}},
		{"slot.moved", slotMovedText{}},
		{"slot.set", slotText{}},
		{"slot.show", slotText{}},
		{"spend.post", spendPostText{}},
		{"start", startText{}},
		{"stretch.added", stretchAddedText{}},
		{"vote.ballot", voteBallotText{}},
		{"vote.form_dots", voteFormDotsText{}},
		{"vote.form_score", voteFormScoreText{}},
		{"vote.form_title", voteFormTitleText{}},
		{"vote.proxy_cast", proxyCastView{}},
		{"vote.receipt", voteReceiptText{}},
		{"vote.receipt_kept", voteReceiptText{}},
		{"vote.step", builderStepText{}},
		{"vote.step_rank", builderStepText{}},
	} {
		v := reflect.TypeOf(tc.view)
		for _, lang := range []string{"en", "fr"} {
			fields := cat.DataFields(lang, tc.key)
			if fields == nil {
				t.Errorf("%s: no text in %s", tc.key, lang)
			}
			for _, f := range fields {
				if _, ok := v.FieldByName(f); ok {
					continue
				}
				if _, ok := v.MethodByName(f); ok {
					continue
				}
				if _, ok := reflect.PointerTo(v).MethodByName(f); ok {
					continue
				}
				t.Errorf("%s (%s) reads .%s, which %s lacks", tc.key, lang, f, v.Name())
			}
			for _, f := range cat.CondFields(lang, tc.key) {
				// A view of this package (a poll, a project) is always given; a time or an
				// amount that may be absent is a pointer.
				if sf, ok := v.FieldByName(f); ok && sf.Type.Kind() == reflect.Struct && sf.Type.PkgPath() != v.PkgPath() {
					t.Errorf("%s (%s) tests .%s, a %s, which is never empty: give %s a pointer or a flag", tc.key, lang, f, sf.Type, v.Name())
				}
			}
		}
	}
}
