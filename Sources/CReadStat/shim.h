// ReadStat, the C library behind R's haven and Python's pyreadstat: the SPSS (.sav, .zsav, .por) and Stata (.dta)
// parsers that StatFiles reads data files with. Provided by Debian's libreadstat-dev (Scripts/setup installs it).
#ifndef CRMSTAT_CREADSTAT_SHIM_H
#define CRMSTAT_CREADSTAT_SHIM_H

#include <readstat.h>

#endif
