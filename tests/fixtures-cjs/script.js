// Stand-in for the JavaScript file the tests of this folder lint (its text comes from the test).
