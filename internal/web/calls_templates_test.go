package web

func init() {
	pageModels["call_list.html"] = callListPage{}
	pageModels["call_new.html"] = form[callFormData]{}
	pageModels["call.html"] = callPage{}
}
