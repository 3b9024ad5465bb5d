package web

func init() {
	pageModels["chair_dashboard.html"] = dashboardPage{}
	pageModels["group_decisions.html"] = decisionsPage{}
	pageModels["call_request.html"] = callReqPage{}
}
