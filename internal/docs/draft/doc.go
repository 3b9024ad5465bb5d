// Package draft reads an Internet-Draft submission (RFCXML v3, RFCXML v2 or
// plain text), extracts its metadata and checks it against the submission
// rules an author must meet.
//
// The package is pure: it never touches the network, the file system or
// the database. Rules that need stored facts (revision sequencing, known
// working groups) are exposed as functions that take those facts, so the
// storage layer can call them. XML is parsed with encoding/xml, which never
// loads a DTD or an external entity; external entities that real drafts use
// for references, and xml2rfc v2's <?rfc include="reference.RFC.2119"?>,
// are recorded as unresolved references instead, for a Resolver to fill
// from hum's records. The entities xml2rfc defines (&rfc.number;, &nbhy;)
// are known without a DTD.
package draft
