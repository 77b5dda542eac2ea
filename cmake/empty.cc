// An empty translation unit: the shared library takes its objects from
// clinsearch_core (cmake/ClinsearchTargets.cmake).
