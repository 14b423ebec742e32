// One platform at a time: the AppHost's local servers listen on fixed ports.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
