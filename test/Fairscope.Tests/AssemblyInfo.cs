// Tests that start CLI commands in-process share the console; they run in one non-parallel collection.
[assembly: Xunit.CollectionBehavior(MaxParallelThreads = 2)]
