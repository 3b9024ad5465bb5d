-- The API's objects answer in a few milliseconds (issue 12):
-- person/historicalemail's object joins its event to the address created
-- at the event's time, which this index finds without reading every
-- address.
CREATE INDEX email_created ON email(created);
