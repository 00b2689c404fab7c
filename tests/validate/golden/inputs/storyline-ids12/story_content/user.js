// the quiz reports passed or failed
function report(api, ok) { api.LMSSetValue("cmi.core.lesson_status", ok ? "passed" : "failed"); }
