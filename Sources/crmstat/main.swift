import CrmstatCLI

Crmstat.runCommandLine()
