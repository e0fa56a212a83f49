// The shuxiang binary: everything happens in app/cli.cc.
#include "app/cli.h"

int main(int argc, char** argv) { return sx::app::Main(argc, argv); }
