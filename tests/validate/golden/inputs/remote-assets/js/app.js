// http://example.org/not-a-load.js (a comment)
var svgns = "http://www.w3.org/2000/svg";
var help = "https://www.england.nhs.uk/";
var player = document.createElement("script");
player.src = "https://cdn.jsdelivr.net/npm/plyr@3/dist/plyr.min.js";
var api = window.parent.API;
api.LMSSetValue("cmi.comments", "my reflection");
var n = api.LMSGetValue("cmi.interactions._count");
