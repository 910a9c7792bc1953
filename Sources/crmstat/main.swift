import CrmstatCLI

Crmstat.main()
