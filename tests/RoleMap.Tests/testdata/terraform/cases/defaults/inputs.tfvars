# A module call with no mapping inputs at all: every default.
