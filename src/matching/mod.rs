//! Comparing expected output with actual output.
