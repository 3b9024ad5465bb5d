package groups

// ChairOf reports whether the person is a chair of the group with id
// groupID: RFC 3934 gives a WG's chair, not its secretaries or delegates,
// the suspension of a disruptive poster (R20).
func (p Actor) ChairOf(groupID int64) bool { return groupID != 0 && p.holds(groupID, "chair") }
