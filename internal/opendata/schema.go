package opendata

import "strings"

// Tastypie's help texts by field type, which its schema shows for a
// field that has none of its own.
var helpText = map[Type]string{
	Integer:  "Integer data. Ex: 2673",
	String:   `Unicode string data. Ex: "Hello World"`,
	Boolean:  "Boolean data. Ex: True",
	DateTime: `A date & time as a string. Ex: "2010-11-10T03:07:43"`,
	Date:     `A date as a string. Ex: "2010-11-10"`,
	ToOne:    "A single related resource. Can be either a URI or set of nested resource data.",
	ToMany:   "Many related resources. Can be either a list of URIs or list of individually nested resource data.",
	List:     "A list of data. Ex: ['abc', 26.73, 8]",
	Dict:     "A dictionary of data. Ex: {'price': 26.73, 'manufacturer': 'Canon'}",
}

// Schema describes a resource as Tastypie's /schema/ does: its fields
// with their types, what each filter allows (1 ALL, 2
// ALL_WITH_RELATIONS), the ordering, and the paging defaults.
func (s *Service) Schema(r *Resource) map[string]any {
	fields := map[string]any{}
	filtering := map[string]any{}
	for _, f := range r.Fields {
		typ := string(f.Type)
		help := f.Help
		if help == "" {
			help = helpText[f.Type]
		}
		d := map[string]any{
			"type": typ, "nullable": f.Null, "blank": f.Null, "readonly": false, "help_text": help,
			"unique": f.Name == r.Key, "primary_key": f.Name == r.Key, "default": "No default provided.",
			"verbose_name": strings.ReplaceAll(f.Name, "_", " "),
		}
		if f.Type == ToOne || f.Type == ToMany {
			d["type"] = "related"
			d["related_type"] = typ
			d["related_schema"] = "/api/v1/" + f.To + "/schema/"
		}
		fields[f.Name] = d
		if f.Filter != None {
			filtering[f.Name] = int(f.Filter)
		}
	}
	for n, f := range r.FilterOnly {
		filtering[n] = int(f)
	}
	fields["resource_uri"] = map[string]any{
		"type": "string", "nullable": false, "blank": false, "readonly": true, "help_text": helpText[String],
		"unique": false, "primary_key": false, "default": "", "verbose_name": "resource uri",
	}
	out := map[string]any{
		"allowed_detail_http_methods": []string{"get"},
		"allowed_list_http_methods":   []string{"get"},
		"default_format":              "application/json",
		"default_limit":               DefaultLimit,
		"fields":                      fields,
		"filtering":                   filtering,
	}
	if len(r.Ordering) > 0 {
		out["ordering"] = r.Ordering
	}
	return out
}
