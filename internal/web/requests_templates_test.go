package web

// The session request and schedule pages' models, registered here so the
// parts of the meetings work add to pageModels without touching one
// another's lines.
func init() {
	pageModels["meeting_request.html"] = form[requestData]{}
	pageModels["meeting_requests.html"] = requestsPage{}
	pageModels["group_meetings.html"] = groupMeetingsPage{}
	pageModels["meeting_schedule.html"] = schedulePage{}
	pageModels["meeting_timeslots.html"] = form[timeslotsData]{}
	pageModels["schedules.html"] = schedulesPage{}
	pageModels["schedules_grid.html"] = scheduleViewPage{}
	pageModels["schedules_compare.html"] = scheduleComparePage{}
}
