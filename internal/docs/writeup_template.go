package docs

// The IESG's shepherd write-up template, "Document Shepherd Write-Up for
// Group Documents" (dated 4 July 2022), as the Datatracker serves it at
// /doc/shepherdwriteup-template/group, and its variant for individual
// documents, whose first two questions ask why no WG took the document.
// The questions are the template's; only the short Topic, which names a
// question in an error, is hum's.

// WriteupQuestion is one numbered question of the template.
type WriteupQuestion struct {
	N        int
	Section  string // the heading the question sits under
	Topic    string // a few words naming it, for errors and the form
	Text     string // the question, as the template asks it
	Required bool   // R17: answered, in more than one word, before publication is requested
	IPR      bool   // shows the IPR disclosures that name the document
}

const (
	secHistory = "Document History"
	secReviews = "Additional Reviews"
	secChecks  = "Document Shepherd Checks"
)

// writeupGroup is the template for a WG's (or RG's) document.
var writeupGroup = []WriteupQuestion{
	{1, secHistory, "WG consensus", "Does the working group (WG) consensus represent the strong concurrence of a few individuals, with others being silent, or did it reach broad agreement?", true, false},
	{2, secHistory, "controversy", "Was there controversy about particular points, or were there decisions where the consensus was particularly rough?", true, false},
	{3, secHistory, "appeal threats", "Has anyone threatened an appeal or otherwise indicated extreme discontent? If so, please summarize the areas of conflict in separate email messages to the responsible Area Director. (It should be in a separate email because this questionnaire is publicly available.)", true, false},
	{4, secHistory, "implementations", "For protocol documents, are there existing implementations of the contents of the document? Have a significant number of potential implementers indicated plans to implement? Are any existing implementations reported somewhere, either in the document itself (as RFC 7942 recommends) or elsewhere (where)?", true, false},
	{5, secReviews, "reviews by other groups", "Do the contents of this document closely interact with technologies in other IETF working groups or external organizations, and would it therefore benefit from their review? Have those reviews occurred? If yes, describe which reviews took place.", false, false},
	{6, secReviews, "formal expert reviews", "Describe how the document meets any required formal expert review criteria, such as the MIB Doctor, YANG Doctor, media type, and URI type reviews.", false, false},
	{7, secReviews, "YANG module", "If the document contains a YANG module, has the final version of the module been checked with any of the recommended validation tools for syntax and formatting validation? If there are any resulting errors or warnings, what is the justification for not fixing them at this time? Does the YANG module comply with the Network Management Datastore Architecture (NMDA) as specified in RFC 8342?", false, false},
	{8, secReviews, "formal languages", "Describe reviews and automated checks performed to validate sections of the final version of the document written in a formal language, such as XML code, BNF rules, MIB definitions, CBOR's CDDL, etc.", false, false},
	{9, secChecks, "readiness", "Based on the shepherd's review of the document, is it their opinion that this document is needed, clearly written, complete, correctly designed, and ready to be handed off to the responsible Area Director?", true, false},
	{10, secChecks, "common issues of the areas", "Several IETF Areas have assembled lists of common issues that their reviewers encounter. For which areas have such issues been identified and addressed? For which does this still need to happen in subsequent reviews?", false, false},
	{11, secChecks, "type of RFC", "What type of RFC publication is being requested on the IETF stream (Best Current Practice, Proposed Standard, Internet Standard, Informational, Experimental or Historic)? Why is this the proper type of RFC? Do all Datatracker state attributes correctly reflect this intent?", true, false},
	{12, secChecks, "IPR disclosures", "Have reasonable efforts been made to remind all authors of the intellectual property rights (IPR) disclosure obligations described in BCP 79? To the best of your knowledge, have all required disclosures been filed? If not, explain why. If yes, summarize any relevant discussion, including links to publicly-available messages when applicable.", true, true},
	{13, secChecks, "authors' confirmations", "Has each author, editor, and contributor shown their willingness to be listed as such? If the total number of authors and editors on the front page is greater than five, please provide a justification.", true, false},
	{14, secChecks, "I-D nits", "Document any remaining I-D nits in this document. Simply running the idnits tool is not enough; please review the \"Content Guidelines\" on authors.ietf.org. (Also note that the current idnits tool generates some incorrect warnings; a rewrite is underway.)", true, false},
	{15, secChecks, "normative and informative references", "Should any informative references be normative or vice-versa? See the IESG Statement on Normative and Informative References.", true, false},
	{16, secChecks, "references not freely available", "List any normative references that are not freely available to anyone. Did the community have sufficient access to review any such normative references?", false, false},
	{17, secChecks, "downward references", "Are there any normative downward references (see RFC 3967 and BCP 97) that are not already listed in the DOWNREF registry? If so, list them.", true, false},
	{18, secChecks, "references not ready", "Are there normative references to documents that are not ready to be submitted to the IESG for publication or are otherwise in an unclear state? If so, what is the plan for their completion?", true, false},
	{19, secChecks, "status of existing RFCs", "Will publication of this document change the status of any existing RFCs? If so, does the Datatracker metadata correctly reflect this and are those RFCs listed on the title page, in the abstract, and discussed in the introduction? If not, explain why and point to the part of the document where the relationship of this document to these other RFCs is discussed.", true, false},
	{20, secChecks, "IANA considerations", "Describe the document shepherd's review of the IANA considerations section, especially with regard to its consistency with the body of the document. Confirm that all aspects of the document requiring IANA assignments are associated with the appropriate reservations in IANA registries. Confirm that any referenced IANA registries have been clearly identified. Confirm that each newly created IANA registry specifies its initial contents, allocations procedures, and a reasonable name (see RFC 8126).", true, false},
	{21, secChecks, "new IANA registries", "List any new IANA registries that require Designated Expert Review for future allocations. Are the instructions to the Designated Expert clear? Please include suggestions of designated experts, if appropriate.", false, false},
}

// writeupIndividual is the template for an individual document: the
// same, but its first two questions.
var writeupIndividual = func() []WriteupQuestion {
	qs := append([]WriteupQuestion(nil), writeupGroup...)
	qs[0] = WriteupQuestion{1, secHistory, "WG consideration", "Was the document considered in any WG, and if so, why was it not adopted as a work item there?", true, false}
	qs[1] = WriteupQuestion{2, secHistory, "controversy", "Was there controversy about particular points that caused the WG to not adopt the document?", true, false}
	return qs
}()

// WriteupQuestions returns the template that fits d: the group template
// for a document of a WG or RG, the individual one otherwise: for a
// document of no group and an area's (AD-sponsored) one, which no WG
// adopted.
func WriteupQuestions(d Document) (title string, qs []WriteupQuestion) {
	if WGDocument(d) {
		return "Document Shepherd Write-Up for Group Documents", writeupGroup
	}
	return "Document Shepherd Write-Up for Individual Documents", writeupIndividual
}

// writeupDated is the template's date, as its first line says it.
const writeupDated = "This version is dated 4 July 2022."
