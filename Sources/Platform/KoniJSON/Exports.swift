/// `JSONValue` (ordered JSON) lives in the site model; services import it from here.
@_exported import enum ComproModel.JSONValue
