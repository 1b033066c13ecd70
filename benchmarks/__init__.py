"""`make bench`: the speed figures the issues ask for, each beside a baseline from the same run."""
