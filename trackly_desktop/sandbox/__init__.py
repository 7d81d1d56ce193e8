"""A local Trackly server: the demo backend and the test double. No Qt."""
