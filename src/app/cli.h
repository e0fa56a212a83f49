// The `shuxiang` command line: serve, migrate, demo, demo accounts, audit verify.
#pragma once

namespace sx::app {

// Runs the command line; returns the process exit code.
int Main(int argc, char** argv);

}  // namespace sx::app
