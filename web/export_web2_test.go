package web

// LogPathForTest is logPath, for the tests of package web_test.
var LogPathForTest = logPath
