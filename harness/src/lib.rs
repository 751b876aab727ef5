//! redzone-harness: runs engines against each other and against the spec testsuite.
