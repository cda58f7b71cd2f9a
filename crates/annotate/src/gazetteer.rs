//! Hand-written general-knowledge name lists used as tagger features.
//!
//! The lists only need to be indicative: the tagger learns how far to trust
//! each category, so coverage matters more than precision.

use crate::features::{hash_lower, mix};
use std::collections::HashMap;

/// Gazetteer categories; the discriminant is the bit position in a mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Cat {
    Country = 0,
    City = 1,
    Region = 2,
    Demonym = 3,
    PerTitle = 4,
    OrgSuffix = 5,
    Org = 6,
    FirstName = 7,
    Temporal = 8,
    Event = 9,
    Language = 10,
    LocWord = 11,
    Surname = 12,
    Sport = 13,
    Company = 14,
    Party = 15,
}

pub const N_CATS: usize = 16;

const COUNTRIES: &str = "Afghanistan|Albania|Algeria|Andorra|Angola|Antigua|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia|Bosnia and Herzegovina|Herzegovina|Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Cape Verde|Central African Republic|Chad|Chile|China|Colombia|Comoros|Congo|Costa Rica|Ivory Coast|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Czechoslovakia|Denmark|Djibouti|Dominica|Dominican Republic|East Timor|Ecuador|Egypt|El Salvador|Equatorial Guinea|Eritrea|Estonia|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kiribati|North Korea|South Korea|Korea|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Macedonia|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Mauritania|Mauritius|Mexico|Micronesia|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Burma|Namibia|Nauru|Nepal|Netherlands|Holland|New Zealand|Nicaragua|Niger|Nigeria|Norway|Oman|Pakistan|Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Samoa|San Marino|Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|Solomon Islands|Somalia|South Africa|Spain|Sri Lanka|Sudan|South Sudan|Suriname|Swaziland|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tonga|Trinidad|Tobago|Trinidad and Tobago|Tunisia|Turkey|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|UAE|United Kingdom|UK|U.K.|Britain|Great Britain|England|Scotland|Wales|Northern Ireland|United States|U.S.|US|USA|U.S.A.|America|Uruguay|Uzbekistan|Vanuatu|Vatican|Venezuela|Vietnam|Yemen|Yugoslavia|Zaire|Zambia|Zimbabwe|Soviet Union|USSR|West Germany|East Germany|Hong Kong|Macau|Puerto Rico|Greenland|Tibet|Chechnya|Kurdistan|Gaza|West Bank|Faroe Islands|Bermuda|Cayman Islands|Gibraltar";

const CITIES: &str = "London|Paris|Berlin|Madrid|Rome|Moscow|Washington|New York|Los Angeles|Chicago|Houston|Philadelphia|Phoenix|San Antonio|San Diego|Dallas|San Francisco|Boston|Seattle|Denver|Detroit|Atlanta|Miami|Baltimore|Cleveland|Pittsburgh|St. Louis|St Louis|Minneapolis|New Orleans|Las Vegas|Tokyo|Osaka|Beijing|Shanghai|Hong Kong|Guangzhou|Shenzhen|Seoul|Pyongyang|Taipei|Manila|Jakarta|Bangkok|Hanoi|Ho Chi Minh City|Saigon|Kuala Lumpur|Singapore|Delhi|New Delhi|Mumbai|Bombay|Calcutta|Kolkata|Madras|Chennai|Bangalore|Karachi|Lahore|Islamabad|Kabul|Dhaka|Colombo|Kathmandu|Tehran|Baghdad|Damascus|Beirut|Amman|Jerusalem|Tel Aviv|Cairo|Alexandria|Riyadh|Jeddah|Mecca|Dubai|Abu Dhabi|Doha|Kuwait City|Muscat|Ankara|Istanbul|Athens|Nicosia|Sofia|Bucharest|Belgrade|Zagreb|Sarajevo|Ljubljana|Skopje|Tirana|Budapest|Vienna|Prague|Bratislava|Warsaw|Krakow|Vilnius|Riga|Tallinn|Minsk|Kiev|Kyiv|Chisinau|Tbilisi|Yerevan|Baku|Almaty|Tashkent|Bishkek|Dushanbe|Ashgabat|Helsinki|Stockholm|Oslo|Copenhagen|Reykjavik|Amsterdam|Rotterdam|The Hague|Brussels|Antwerp|Luxembourg|Geneva|Zurich|Bern|Basel|Lausanne|Lisbon|Porto|Barcelona|Valencia|Seville|Bilbao|Milan|Naples|Turin|Florence|Venice|Genoa|Palermo|Munich|Hamburg|Frankfurt|Cologne|Bonn|Stuttgart|Dusseldorf|Leipzig|Dresden|Hanover|Marseille|Lyon|Toulouse|Nice|Bordeaux|Strasbourg|Lille|Nantes|Manchester|Liverpool|Birmingham|Leeds|Glasgow|Edinburgh|Cardiff|Belfast|Dublin|Bristol|Sheffield|Newcastle|Nottingham|Leicester|Southampton|Oxford|Cambridge|Toronto|Montreal|Vancouver|Ottawa|Calgary|Quebec|Mexico City|Guadalajara|Havana|Kingston|Panama City|Bogota|Caracas|Lima|Quito|Santiago|Buenos Aires|Montevideo|Asuncion|La Paz|Brasilia|Sao Paulo|Rio de Janeiro|Rio|Johannesburg|Pretoria|Cape Town|Durban|Harare|Lusaka|Nairobi|Mombasa|Kampala|Kigali|Addis Ababa|Khartoum|Mogadishu|Dar es Salaam|Kinshasa|Brazzaville|Luanda|Maputo|Lagos|Abuja|Accra|Dakar|Abidjan|Algiers|Tunis|Tripoli|Rabat|Casablanca|Sydney|Melbourne|Brisbane|Perth|Adelaide|Canberra|Auckland|Wellington|Christchurch|St Petersburg|St. Petersburg|Leningrad|Vladivostok|Novosibirsk|Grozny|Sevastopol|Odessa|Gdansk|Hebron|Gaza City|Ramallah|Nablus|Basra|Mosul|Kirkuk|Tikrit|Falluja|Kandahar|Srinagar|Sharjah|Macau|Kobe|Kyoto|Yokohama|Nagoya|Sapporo|Wuhan|Tianjin|Chongqing|Nanjing|Lhasa|Phnom Penh|Rangoon|Yangon|Ulan Bator|Wimbledon|Hollywood|Brooklyn|Manhattan|Oakland|Sacramento|Portland|Indianapolis|Kansas City|Milwaukee|Cincinnati|Tampa|Orlando|Charlotte|Nashville|Memphis|Austin|Salt Lake City|Honolulu|Anchorage|Buffalo|Albany|Harare|Monte Carlo|Melbourne|Lens|Auxerre|Nantes|Metz|Monaco|Bastia|Rennes|Cannes|Le Havre|Eindhoven|Utrecht|Groningen|Bruges|Ghent|Liege|Graz|Salzburg|Innsbruck|Bremen|Dortmund|Gelsenkirchen|Leverkusen|Bochum|Karlsruhe|Freiburg|Duisburg|Rostock|Wolfsburg|Kaiserslautern|Nuremberg|Mainz|Valladolid|Zaragoza|Santander|Oviedo|Vigo|Seville|Betis|Malaga|Bergamo|Bologna|Parma|Verona|Udine|Piacenza|Cagliari|Bari|Perugia|Lecce|Vicenza|Brescia|Sheffield|Middlesbrough|Sunderland|Derby|Coventry|Wolverhampton|Blackburn|Bolton|Aberdeen|Dundee|Hull|Plymouth|Ipswich|Norwich|Reading|Portsmouth|Stoke|Swansea|Hamilton|Chittagong|Peshawar|Quetta|Hyderabad|Ahmedabad|Pune|Lucknow|Kanpur|Jaipur|Amritsar|Rawalpindi|Kandy|Mandalay|Surabaya|Bandung|Medan|Cebu|Davao|Busan|Pusan|Incheon|Kaohsiung|Harbin|Shenyang|Dalian|Qingdao|Xian|Chengdu|Kunming|Urumqi|Samarkand|Yekaterinburg|Nizhny Novgorod|Kazan|Samara|Omsk|Murmansk|Kaliningrad|Kharkiv|Kharkov|Lviv|Donetsk|Split|Dubrovnik|Pristina|Podgorica|Thessaloniki|Izmir|Antalya|Haifa|Aleppo|Homs|Sidon|Tyre|Aden|Sanaa|Manama|Benghazi|Fez|Marrakesh|Tangier|Oran|Port Said|Suez|Aswan|Luxor|Omdurman|Asmara|Entebbe|Goma|Bukavu|Lubumbashi|Kisangani|Bujumbura|Lilongwe|Bulawayo|Gaborone|Windhoek|Maseru|Antananarivo|Port Louis|Freetown|Monrovia|Conakry|Bamako|Niamey|Ouagadougou|Nouakchott|Banjul|Lome|Cotonou|Yaounde|Douala|Libreville|Ndjamena|Bangui|Kano|Ibadan|Port Harcourt|Kumasi|Medellin|Cali|Cartagena|Guayaquil|Maracaibo|Valparaiso|Cordoba|Rosario|Mendoza|Porto Alegre|Belo Horizonte|Salvador|Recife|Fortaleza|Curitiba|Manaus|Monterrey|Tijuana|Acapulco|Cancun|San Jose|San Salvador|Tegucigalpa|Managua|Guatemala City|Santo Domingo|Port-au-Prince|San Juan|Nassau|Port of Spain|Bridgetown|Georgetown|Paramaribo|Winnipeg|Edmonton|Halifax|Regina|Saskatoon|Hobart|Darwin|Cairns|Dunedin|Suva|Port Moresby|Gothenburg|Malmo|Uppsala|Bergen|Trondheim|Stavanger|Aarhus|Odense|Tampere|Turku|Poznan|Wroclaw|Lodz|Katowice|Szczecin|Brno|Ostrava|Kosice|Debrecen|Szeged|Cluj|Timisoara|Iasi|Constanta|Varna|Plovdiv|Novi Sad|Nis|Maribor|Rijeka|Osijek|Linz|Klagenfurt|Lucerne|Lugano|Montpellier|Grenoble|Rouen|Reims|Le Mans|Caen|Brest|Toulon|Dijon|Avignon|Calais|Dunkirk|Biarritz|Ajaccio|Coimbra|Braga|Faro|Funchal|Cadiz|Granada|Alicante|Murcia|Palma|Las Palmas|Pamplona|San Sebastian|Salamanca|Toledo|Gijon|La Coruna|Santiago de Compostela|Trieste|Padua|Modena|Pisa|Siena|Ravenna|Rimini|Ancona|Pescara|Catania|Messina|Taranto|Salerno|Como|Bolzano|Trento|Aachen|Munster|Bielefeld|Kiel|Lubeck|Magdeburg|Erfurt|Chemnitz|Potsdam|Wiesbaden|Saarbrucken|Heidelberg|Mannheim|Augsburg|Regensburg|Wurzburg|Ulm|Arnhem|Nijmegen|Tilburg|Breda|Maastricht|Leiden|Haarlem|Delft|Enschede|Charleroi|Namur|Mons|Leuven|Mechelen|Ostend|Cork|Galway|Limerick|Derry|Londonderry|Inverness|Stirling|Swindon|Luton|York|Exeter|Bath|Brighton|Bournemouth|Gloucester|Worcester|Chester|Lincoln|Preston|Wigan|Bradford|Huddersfield|Barnsley|Rotherham|Doncaster|Grimsby|Carlisle|Darlington|Hartlepool|Oldham|Rochdale|Burnley|Stockport|Crewe|Walsall|Northampton|Peterborough|Colchester|Southend|Gillingham|Watford|Wrexham|Canterbury|Dover|Salisbury|Winchester|Durham";

const REGIONS: &str = "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|West Virginia|Wisconsin|Wyoming|Ontario|Quebec|British Columbia|Alberta|Manitoba|Saskatchewan|Nova Scotia|New South Wales|Queensland|Victoria|Tasmania|Bavaria|Saxony|Catalonia|Andalusia|Basque|Galicia|Sicily|Sardinia|Tuscany|Lombardy|Corsica|Brittany|Normandy|Provence|Flanders|Wallonia|Kashmir|Punjab|Bengal|Kerala|Gujarat|Xinjiang|Siberia|Chechnya|Dagestan|Crimea|Transylvania|Kurdistan|Balkans|Scandinavia|Europe|Asia|Africa|North America|South America|Latin America|Central America|Middle East|Far East|Antarctica|Arctic|Caribbean|Mediterranean|Pacific|Atlantic|Gulf|Persian Gulf|Baltic|Caucasus|Sahara|Himalayas|Alps|Andes|Amazon|Nile|Danube|Rhine|Thames|Mississippi|Yangtze|Mekong|Black Sea|Red Sea|North Sea|Dead Sea|Caspian|Indian Ocean|Pacific Ocean|Atlantic Ocean|Golan Heights|Sinai|Mindanao|Java|Sumatra|Borneo|Bali|Sri Lanka|Ulster|Yorkshire|Lancashire|Kent|Essex|Surrey|Sussex|Cornwall|Devon|Hampshire|Midlands|West Bank|Gaza Strip|Silicon Valley|Wall Street|Downing Street|Capitol Hill|Whitehall|Kremlin|White House|Pentagon|Golan|Bosnian Serb|Krajina|Slavonia|Mostar|Srebrenica|Tuzla|Banja Luka|Pale";

const DEMONYMS: &str = "Afghan|Albanian|Algerian|American|Americans|Angolan|Argentine|Argentinian|Armenian|Australian|Australians|Austrian|Azeri|Bangladeshi|Belgian|Bolivian|Bosnian|Bosnians|Brazilian|British|Briton|Britons|Bulgarian|Burmese|Burundian|Cambodian|Cameroonian|Canadian|Chilean|Chinese|Colombian|Congolese|Croat|Croatian|Croats|Cuban|Cypriot|Czech|Czechs|Danish|Dane|Danes|Dutch|Dutchman|Ecuadorean|Egyptian|Egyptians|English|Englishman|Eritrean|Estonian|Ethiopian|European|Europeans|Filipino|Finn|Finnish|French|Frenchman|Georgian|German|Germans|Ghanaian|Greek|Greeks|Guatemalan|Haitian|Honduran|Hungarian|Icelandic|Indian|Indians|Indonesian|Iranian|Iranians|Iraqi|Iraqis|Irish|Irishman|Israeli|Israelis|Italian|Italians|Jamaican|Japanese|Jordanian|Kazakh|Kenyan|Korean|Koreans|Kurd|Kurdish|Kurds|Kuwaiti|Latvian|Lebanese|Liberian|Libyan|Lithuanian|Macedonian|Malaysian|Malian|Maltese|Mexican|Mexicans|Moldovan|Mongolian|Moroccan|Mozambican|Namibian|Nepali|Nicaraguan|Nigerian|Nigerians|Norwegian|Pakistani|Pakistanis|Palestinian|Palestinians|Panamanian|Paraguayan|Peruvian|Philippine|Polish|Pole|Poles|Portuguese|Romanian|Russian|Russians|Rwandan|Saudi|Saudis|Scottish|Scot|Scots|Senegalese|Serb|Serbian|Serbs|Singaporean|Slovak|Slovakian|Slovene|Slovenian|Somali|South African|Spanish|Spaniard|Sri Lankan|Sudanese|Swede|Swedish|Swiss|Syrian|Taiwanese|Tajik|Tanzanian|Thai|Tibetan|Tunisian|Turk|Turkish|Turks|Ugandan|Ukrainian|Uruguayan|Uzbek|Venezuelan|Vietnamese|Welsh|Yemeni|Yugoslav|Zairean|Zambian|Zimbabwean|Soviet|Arab|Arabs|Arabian|Asian|African|Africans|Latin|Western|Nordic|Scandinavian|Balkan|Baltic|Caribbean|Mediterranean|Gulf|Anglo|Franco|Sino|Euro|Muslim|Muslims|Moslem|Moslems|Christian|Christians|Catholic|Catholics|Protestant|Islamic|Jewish|Jew|Jews|Hindu|Sikh|Buddhist|Shi'ite|Sunni|Shiite|Orthodox|Anglican|Hutu|Hutus|Tutsi|Tutsis|Pashtun|Taleban|Taliban|Basque|Catalan|Chechen|Chechens|Bavarian|Texan|Californian|Republican|Republicans|Democrat|Democrats|Democratic|Conservative|Conservatives|Labour|Liberal|Socialist|Communist|Communists|Marxist|Nazi|Nazis|Zionist|Islamist|Gaullist|Tory|Tories";

const LANGUAGES: &str = "English|French|German|Spanish|Italian|Portuguese|Russian|Chinese|Mandarin|Cantonese|Japanese|Korean|Arabic|Hebrew|Hindi|Urdu|Bengali|Punjabi|Persian|Farsi|Turkish|Greek|Latin|Dutch|Swedish|Norwegian|Danish|Finnish|Polish|Czech|Hungarian|Romanian|Serbo-Croat|Swahili|Zulu|Afrikaans|Tamil|Malay|Tagalog|Esperanto|Gaelic|Welsh|Islam|Christianity|Judaism|Hinduism|Buddhism|Catholicism|Internet|Web|Windows|Linux|Nasdaq|Dow|Dow Jones|FTSE|Nikkei|DAX|CAC|Hang Seng|S&P|Grammy|Grammys|Oscar|Oscars|Emmy|Bafta|Baftas|Golden Globe|Golden Globes|Nobel|Nobel Prize|Booker|Pulitzer";

const EVENTS: &str = "World Cup|Olympics|Olympic Games|Olympic|Paralympics|Grand Prix|Grand Slam|Tour de France|Wimbledon|US Open|U.S. Open|French Open|Australian Open|Open|Masters|Super Bowl|World Series|Champions League|Europa League|UEFA Cup|Cup Winners' Cup|Davis Cup|Ryder Cup|FA Cup|League Cup|Copa America|European Championship|Euro 2004|Six Nations|Tri-Nations|Commonwealth Games|Asian Games|World Championships|Formula One|Formula 1|Premier League|Premiership|Bundesliga|Serie A|Primera Liga|Ligue 1|Super League|Test|Tests|Ashes|Christmas|Easter|Ramadan|Eid|Hanukkah|Thanksgiving|New Year|Cold War|World War|Gulf War|Holocaust|Renaissance|Reformation|Brexit|Marshall Plan|Dayton|Oslo Accords|Geneva Convention|Kyoto Protocol|Maastricht|Maastricht Treaty|Treaty of Rome|Schengen|G7|G8|G20|Davos|Expo|Eurovision|Live Aid|Live 8|Glastonbury|Cannes Film Festival|Sundance|Emmys|Brit Awards|Mobo|Mercury Prize";

const TITLES: &str = "President|Vice President|Vice-President|Prime Minister|Deputy Prime Minister|Minister|Foreign Minister|Defence Minister|Defense Minister|Finance Minister|Interior Minister|Trade Minister|Justice Minister|Health Minister|Economy Minister|Energy Minister|Agriculture Minister|Chancellor|Secretary|Secretary of State|Secretary-General|Secretary General|Home Secretary|Foreign Secretary|Treasury Secretary|Defense Secretary|Defence Secretary|Ambassador|Envoy|Senator|Sen.|Congressman|Congresswoman|Representative|Rep.|Governor|Gov.|Mayor|Premier|King|Queen|Prince|Princess|Duke|Duchess|Lord|Lady|Sir|Dame|Baron|Baroness|Emperor|Empress|Sheikh|Sultan|Emir|Pope|Cardinal|Archbishop|Bishop|Reverend|Rev.|Father|Rabbi|Imam|Ayatollah|General|Gen.|Brigadier|Brigadier General|Brig.|Brig. Gen.|Lieutenant|Lieutenant General|Lt.|Lt. Gen.|Lt. Col.|Major|Major General|Maj.|Maj. Gen.|Colonel|Col.|Captain|Capt.|Commander|Cmdr.|Admiral|Adm.|Sergeant|Sgt.|Corporal|Private|Marshal|Field Marshal|Chief|Chief Executive|Chairman|Chairwoman|Chair|Director|Director General|Director-General|Managing Director|Spokesman|Spokeswoman|Judge|Justice|Chief Justice|Attorney General|Attorney-General|Prosecutor|Inspector|Detective|Superintendent|Commissioner|Sheriff|Officer|Professor|Prof.|Dr.|Dr|Doctor|Mr.|Mr|Mrs.|Mrs|Ms.|Ms|Miss|Messrs|Mister|Madame|Monsieur|Herr|Frau|Senor|Senora|coach|manager|striker|midfielder|defender|goalkeeper|captain|skipper|batsman|bowler|champion|leader|spokesman|spokeswoman|president|minister|chairman|secretary|analyst|economist|dealer|trader|chief|official|director|executive|premier|chancellor|ambassador|envoy|commander|general|colonel|mayor|governor|senator|told|said|says";

const ORG_SUFFIXES: &str = "Corp|Corp.|Corporation|Inc|Inc.|Incorporated|Ltd|Ltd.|Limited|Plc|PLC|plc|Co|Co.|Company|Cos|LLC|AG|SA|S.A.|NV|N.V.|BV|GmbH|SpA|AB|ASA|Oyj|Bhd|KK|Group|Holdings|Holding|Industries|International|Enterprises|Partners|Associates|Ventures|Capital|Securities|Bank|Bancorp|Trust|Fund|Insurance|Assurance|Airlines|Airways|Air|Motors|Motor|Steel|Oil|Petroleum|Energy|Gas|Electric|Power|Telecom|Telecommunications|Communications|Systems|Technologies|Technology|Software|Pharmaceuticals|Pharma|Foods|Brewery|Mining|Resources|Chemicals|Media|Records|Pictures|Studios|Entertainment|Publishing|Press|News|Times|Post|Journal|Herald|Tribune|Gazette|Telegraph|Guardian|Daily|Magazine|TV|Television|Radio|Broadcasting|Network|Ministry|Department|Agency|Authority|Commission|Committee|Council|Board|Bureau|Office|Service|Services|Court|Parliament|Assembly|Congress|Senate|Cabinet|Government|Administration|Party|Front|Movement|Alliance|League|Union|Federation|Association|Society|Institute|Institution|Foundation|Organisation|Organization|Centre|Center|University|College|School|Academy|Hospital|Church|Army|Navy|Air Force|Forces|Guard|Police|Brigade|Corps|Militia|Club|FC|United|City|Rovers|Wanderers|Athletic|Albion|County|Town|Sporting|Racing|Real|Olympique|Dynamo|Spartak|Lokomotiv|CSKA|Exchange|Market|Reserve|Fed|Mint|Team|Orchestra|Band|Council";

const ORGS: &str = "Reuters|Associated Press|AP|AFP|Agence France-Presse|Agence France Presse|Bloomberg|Dow Jones|Xinhua|Tass|Itar-Tass|Interfax|Kyodo|ANSA|DPA|EFE|Anadolu|PTI|Yonhap|IRNA|MENA|BBC|CNN|CBS|NBC|ABC|Fox|Sky|ITV|Channel 4|Al Jazeera|New York Times|Washington Post|Wall Street Journal|Financial Times|The Times|Guardian|Independent|Economist|Le Monde|Der Spiegel|Pravda|Izvestia|United Nations|UN|U.N.|UNESCO|UNICEF|UNHCR|WHO|World Health Organisation|World Health Organization|IMF|International Monetary Fund|World Bank|WTO|World Trade Organisation|World Trade Organization|GATT|OPEC|OECD|NATO|EU|European Union|European Commission|European Parliament|Council of Europe|European Central Bank|ECB|Bundesbank|Federal Reserve|Bank of England|Bank of Japan|OSCE|ASEAN|APEC|African Union|OAU|Arab League|Red Cross|Red Crescent|Amnesty International|Human Rights Watch|Greenpeace|Interpol|Europol|FBI|CIA|NSA|KGB|FSB|MI5|MI6|Mossad|Pentagon|NASA|ESA|FIFA|UEFA|IOC|ICC|IAAF|ATP|WTA|NBA|NFL|NHL|MLB|PGA|Football Association|FA|Senate|Congress|Parliament|Knesset|Duma|Bundestag|Kremlin|Supreme Court|Labour Party|Conservative Party|Liberal Democrats|Republican Party|Democratic Party|Hamas|Hezbollah|PLO|Fatah|IRA|Sinn Fein|ETA|PKK|al-Qaeda|al Qaeda|Taliban|Khmer Rouge|ANC|Likud|Labour|Tories|GOP|Microsoft|Apple|Google|IBM|Intel|Sony|Samsung|Nokia|Siemens|Philips|Toyota|Honda|Nissan|Ford|General Motors|GM|Chrysler|Volkswagen|BMW|Mercedes|Daimler|Fiat|Renault|Peugeot|Boeing|Airbus|Exxon|Shell|BP|Texaco|Chevron|Mobil|Total|Gazprom|Coca-Cola|Pepsi|McDonald's|Nestle|Unilever|Walmart|Wal-Mart|AT&T|Verizon|Vodafone|Deutsche Telekom|France Telecom|BT|Citigroup|Citibank|Goldman Sachs|Morgan Stanley|Merrill Lynch|JP Morgan|HSBC|Barclays|Lloyds|Deutsche Bank|UBS|Credit Suisse|Yahoo|Amazon|eBay|AOL|Time Warner|Disney|Warner Bros|Universal|Paramount|EMI|Virgin|Nintendo|Sega|Motorola|Ericsson|Dell|Compaq|Hewlett-Packard|HP|Oracle|Cisco|Xerox|Kodak|Enron|WorldCom|Parmalat|Lufthansa|British Airways|Air France|KLM|Alitalia|Iberia|Aeroflot|Qantas|Manchester United|Arsenal|Chelsea|Liverpool|Real Madrid|Barcelona|Juventus|AC Milan|Inter Milan|Bayern Munich|Ajax|PSV|Celtic|Rangers|Tottenham|Everton|Newcastle|Leeds|Aston Villa|West Ham|Benfica|Porto|Sporting Lisbon|Galatasaray|Fenerbahce|Besiktas|Feyenoord|Anderlecht|Lazio|Roma|Napoli|Fiorentina|Sampdoria|Atletico Madrid|Deportivo|Valencia|Monaco|Paris St Germain|Marseille|Yankees|Red Sox|Mets|Dodgers|Cubs|Braves|Orioles|Blue Jays|Indians|Mariners|Athletics|Angels|Tigers|Royals|Twins|White Sox|Giants|Cardinals|Astros|Padres|Pirates|Reds|Phillies|Expos|Marlins|Rockies|Brewers|Rangers|Alcatel|Allianz|AXA|BASF|Bayer|Hoechst|Thyssen|Krupp|RWE|Veba|Viag|Mannesmann|Volvo|Saab|Scania|Electrolux|Ikea|Carlsberg|Heineken|Danone|L'Oreal|LVMH|Michelin|Elf Aquitaine|Eni|Agip|Repsol|Telefonica|Endesa|Olivetti|Pirelli|Generali|Mitsubishi|Mitsui|Sumitomo|Hitachi|Toshiba|Fujitsu|NEC|Matsushita|Panasonic|Canon|Nikon|Sanyo|Mazda|Suzuki|Hyundai|Daewoo|LG|Kia|Tata|Petrobras|Pemex|PDVSA|Aramco|Sinopec|Lukoil|Anglo American|De Beers|BHP|Rio Tinto|ICI|GEC|GKN|Rolls-Royce|BAE|British Aerospace|British Gas|British Steel|British Telecom|Cable and Wireless|Marks and Spencer|Tesco|Sainsbury|Glaxo|Glaxo Wellcome|SmithKline Beecham|Zeneca|Pfizer|Merck|Novartis|Roche|Sandoz|Ciba|Johnson & Johnson|Procter & Gamble|Philip Morris|RJR Nabisco|Kraft|General Electric|GE|Westinghouse|Honeywell|Lockheed|Lockheed Martin|McDonnell Douglas|Northrop|Raytheon|United Technologies|DuPont|Dow Chemical|Monsanto|Caterpillar|Alcoa|3M|Texas Instruments|Sun Microsystems|Novell|Netscape|Digital Equipment|Unisys|Bell Atlantic|BellSouth|Nynex|MCI|Sprint|GTE|Lucent|Nortel|Northern Telecom|American Express|Visa|MasterCard|Chase Manhattan|Chemical Bank|BankAmerica|Bank of America|Wells Fargo|Salomon Brothers|Lehman Brothers|Bear Stearns|PaineWebber|Prudential|AIG|Allstate|Travelers|Aetna|Kmart|Sears|Home Depot|United Airlines|American Airlines|Delta Air Lines|Northwest Airlines|Continental Airlines|TWA|USAir|Swissair|Sabena|SAS|Cathay Pacific|Singapore Airlines|Japan Airlines|JAL|Air India|EgyptAir|El Al|Olympic Airways|Turkish Airlines|Air Canada|Ryanair|easyJet|Hachette|News Corp|News Corporation|Pearson|Bertelsmann|Viacom|Gannett|Knight-Ridder|Thomson|Vivendi|Canal Plus|Mediaset|Fininvest|RAI|ZDF|ARD|NHK|Deutsche Bahn|SNCF|Amtrak|Eurotunnel|Aerospatiale|Dassault|Fokker|Embraer|Bombardier|Daimler-Benz|Porsche|Audi|Opel|Vauxhall|Rover|Jaguar|Citroen|Skoda|Lada|Manchester City|Nottingham Forest|Sheffield Wednesday|Sheffield United|Leicester City|Coventry City|Southampton|Middlesbrough|Sunderland|Derby County|Blackburn Rovers|Bolton Wanderers|Queens Park Rangers|QPR|Crystal Palace|Charlton|Ipswich Town|Norwich City|West Bromwich Albion|Wolverhampton Wanderers|Stoke City|Birmingham City|Millwall|Fulham|Brentford|Bristol City|Bristol Rovers|Port Vale|Tranmere Rovers|Oldham Athletic|Huddersfield Town|Grimsby Town|Swindon Town|Oxford United|Bradford City|Luton Town|Aberdeen|Hearts|Hibernian|Dundee United|Motherwell|Kilmarnock|Dunfermline|Raith Rovers|Partick Thistle|St Johnstone|Falkirk|Bayer Leverkusen|Borussia Dortmund|Borussia Moenchengladbach|Schalke|Werder Bremen|Hamburg SV|VfB Stuttgart|Hansa Rostock|1860 Munich|Eintracht Frankfurt|Udinese|Atalanta|Reggiana|Athletic Bilbao|Real Sociedad|Espanyol|Celta Vigo|Real Betis|Sevilla|Rayo Vallecano|Real Zaragoza|Racing Santander|Paris Saint-Germain|PSG|Auxerre|Guingamp|PSV Eindhoven|Vitesse|Twente|Heerenveen|Roda JC|Willem II|NAC Breda|Sparta Rotterdam|Fortuna Sittard|Dynamo Kiev|Dynamo Moscow|Spartak Moscow|CSKA Moscow|Lokomotiv Moscow|Red Star Belgrade|Partizan Belgrade|Steaua Bucharest|Dinamo Bucharest|Legia Warsaw|Slavia Prague|Sparta Prague|Ferencvaros|Rapid Vienna|Austria Vienna|Grasshoppers|Club Brugge|Standard Liege|Olympiakos|Panathinaikos|AEK Athens|Boca Juniors|River Plate|Flamengo|Santos|Corinthians|Palmeiras|Penarol|Nacional|Chicago Bulls|Los Angeles Lakers|Boston Celtics|New York Knicks|Dallas Cowboys|Green Bay Packers|San Francisco 49ers";

const PARTIES: &str = "Party|Labour|Conservative|Conservatives|Liberal Democrat|Liberal Democrats|Lib Dem|Lib Dems|Democrats|Republicans|Socialists|Communists|Greens|Social Democrats|Christian Democrats|Tory|Tories|UKIP|SNP|Plaid Cymru|BJP|Congress Party|Likud|Labor|Kadima|Shas|Fidesz|Solidarity";

const FIRST_NAMES: &str = "James|John|Robert|Michael|William|David|Richard|Joseph|Thomas|Charles|Christopher|Daniel|Matthew|Anthony|Mark|Donald|Steven|Paul|Andrew|Joshua|Kenneth|Kevin|Brian|George|Edward|Ronald|Timothy|Jason|Jeffrey|Ryan|Jacob|Gary|Nicholas|Eric|Jonathan|Stephen|Larry|Justin|Scott|Brandon|Benjamin|Samuel|Frank|Gregory|Raymond|Alexander|Patrick|Jack|Dennis|Jerry|Tyler|Aaron|Jose|Henry|Adam|Douglas|Nathan|Peter|Zachary|Kyle|Walter|Harold|Jeremy|Ethan|Carl|Keith|Roger|Gerald|Christian|Terry|Sean|Arthur|Austin|Noah|Lawrence|Jesse|Joe|Bryan|Billy|Jordan|Albert|Dylan|Bruce|Willie|Gabriel|Alan|Juan|Logan|Wayne|Ralph|Roy|Eugene|Randy|Vincent|Russell|Louis|Philip|Bobby|Johnny|Bradley|Mary|Patricia|Jennifer|Linda|Elizabeth|Barbara|Susan|Jessica|Sarah|Karen|Nancy|Lisa|Betty|Margaret|Sandra|Ashley|Kimberly|Emily|Donna|Michelle|Dorothy|Carol|Amanda|Melissa|Deborah|Stephanie|Rebecca|Sharon|Laura|Cynthia|Kathleen|Amy|Shirley|Angela|Helen|Anna|Brenda|Pamela|Nicole|Emma|Samantha|Katherine|Christine|Debra|Rachel|Catherine|Carolyn|Janet|Ruth|Maria|Heather|Diane|Virginia|Julie|Joyce|Victoria|Olivia|Kelly|Christina|Lauren|Joan|Evelyn|Judith|Megan|Cheryl|Andrea|Hannah|Martha|Jacqueline|Frances|Gloria|Ann|Anne|Teresa|Kathryn|Sara|Janice|Jean|Alice|Madison|Doris|Abigail|Julia|Judy|Grace|Denise|Amber|Marilyn|Beverly|Danielle|Theresa|Sophia|Marie|Diana|Brittany|Natalie|Isabella|Charlotte|Rose|Alexis|Kayla|Tony|Tom|Tim|Jim|Bill|Bob|Mike|Dave|Steve|Chris|Nick|Ben|Sam|Alex|Max|Ian|Neil|Colin|Graham|Martin|Simon|Stuart|Gordon|Alistair|Hugh|Nigel|Trevor|Clive|Derek|Barry|Kenny|Ken|Ray|Roy|Ron|Don|Dan|Fred|Harry|Jimmy|Tommy|Danny|Lee|Jon|Jeff|Greg|Craig|Dean|Glenn|Ross|Shane|Wayne|Darren|Lance|Andre|Pierre|Jean|Jacques|Francois|Michel|Philippe|Alain|Bernard|Nicolas|Laurent|Olivier|Christophe|Thierry|Didier|Hans|Klaus|Jurgen|Helmut|Gerhard|Wolfgang|Karl|Heinz|Dieter|Uwe|Stefan|Franz|Friedrich|Horst|Manfred|Rolf|Giovanni|Giuseppe|Luigi|Marco|Francesco|Antonio|Alessandro|Roberto|Paolo|Carlo|Mario|Massimo|Fabio|Silvio|Romano|Carlos|Manuel|Luis|Miguel|Pedro|Jorge|Fernando|Francisco|Javier|Alfredo|Diego|Pablo|Sergio|Ricardo|Rafael|Felipe|Raul|Vladimir|Boris|Ivan|Sergei|Alexei|Dmitry|Mikhail|Viktor|Yuri|Nikolai|Andrei|Oleg|Igor|Yevgeny|Anatoly|Gennady|Leonid|Viktor|Slobodan|Radovan|Ratko|Franjo|Alija|Mohammed|Muhammad|Mohamed|Ahmed|Ali|Hassan|Hussein|Omar|Abdul|Abdullah|Ibrahim|Mahmoud|Khalid|Yasser|Saddam|Osama|Benjamin|Shimon|Yitzhak|Ariel|Ehud|Moshe|David|Akira|Hiroshi|Takeshi|Kenji|Ryutaro|Junichiro|Wei|Li|Zhang|Jiang|Deng|Hu|Kim|Park|Lee|Nelson|Desmond|Kofi|Boutros|Robin|Chris|Steffi|Martina|Monica|Serena|Venus|Pete|Andre|Boris|Goran|Thomas|Yevgeny|Michael|Tiger|Ernie|Colin|Sachin|Brian|Shane|Wasim|Waqar|Inzamam|Saeed|Sanath|Aravinda|Arjuna|Mark|Steve|Allan|Jose|Alberto|Eduardo|Enrique|Ernesto|Gustavo|Hector|Hugo|Ignacio|Jaime|Julio|Marcelo|Mauricio|Oscar|Rodrigo|Santiago|Victor|Joao|Paulo|Marcos|Carmen|Isabel|Lucia|Sofia|Elena|Rosa|Pilar|Beatriz|Gabriela|Jean-Pierre|Jean-Claude|Jean-Marie|Jean-Paul|Jean-Louis|Henri|Marc|Pascal|Yves|Gilles|Guy|Claude|Dominique|Sylvie|Nathalie|Isabelle|Sophie|Martine|Monique|Joachim|Gunter|Werner|Rudolf|Otto|Jens|Lars|Anders|Nils|Sven|Erik|Olaf|Bjorn|Henrik|Jan|Pieter|Wim|Willem|Johan|Hendrik|Ingrid|Birgit|Ursula|Helga|Petra|Monika|Giorgio|Giulio|Lorenzo|Matteo|Luca|Stefano|Gianni|Pietro|Vittorio|Umberto|Enrico|Claudio|Franco|Jiri|Vaclav|Lech|Aleksander|Tadeusz|Janusz|Krzysztof|Pavel|Petr|Milan|Zoran|Dragan|Vojislav|Momcilo|Nikola|Ion|Emil|Gyula|Laszlo|Istvan|Ferenc|Ahmad|Mahmud|Mustafa|Hamid|Hussain|Jamal|Karim|Nabil|Rashid|Said|Salim|Tariq|Walid|Yusuf|Youssef|Ismail|Suleiman|Recep|Tansu|Necmettin|Mesut|Bulent|Akbar|Mohammad|Reza|Shinzo|Taro|Ichiro|Yoshiro|Keizo|Yukio|Naoto|Rajiv|Sonia|Atal|Manmohan|Sunil|Rahul|Anil|Sanjay|Vijay|Ravi|Ramesh|Suresh|Arun|Ashok|Thabo|Olusegun|Sani|Yoweri|Jomo|Kwame|Jacques|Sebastian|Tobias|Florian|Matthias|Markus|Christoph|Nikolaus|Ole|Per|Magnus|Mats|Stig|Kjell|Arne|Rune|Pekka|Mika|Jari|Jukka|Kimi|Aki";

const SURNAMES: &str = "Smith|Johnson|Williams|Brown|Jones|Miller|Davis|Wilson|Anderson|Taylor|Thomas|Moore|Martin|Jackson|Thompson|White|Harris|Clark|Lewis|Robinson|Walker|Young|Allen|King|Wright|Scott|Hill|Green|Adams|Baker|Nelson|Carter|Mitchell|Roberts|Turner|Phillips|Campbell|Parker|Evans|Edwards|Collins|Stewart|Morris|Murphy|Cook|Rogers|Morgan|Cooper|Peterson|Reed|Bailey|Bell|Kelly|Howard|Ward|Cox|Richardson|Wood|Watson|Brooks|Bennett|Gray|Hughes|Price|Sanders|Myers|Long|Ross|Foster|Clinton|Bush|Blair|Brown|Major|Thatcher|Reagan|Carter|Nixon|Kennedy|Gore|Dole|Gingrich|Kohl|Chirac|Mitterrand|Juppe|Jospin|Yeltsin|Gorbachev|Putin|Lebed|Chernomyrdin|Netanyahu|Arafat|Peres|Rabin|Mubarak|Assad|Saddam|Hussein|Mandela|Mugabe|Annan|Ghali|Milosevic|Karadzic|Mladic|Tudjman|Izetbegovic|Holbrooke|Christopher|Albright|Kinkel|Santer|Prodi|Berlusconi|Aznar|Gonzalez|Kok|Dehaene|Hashimoto|Jiang|Li|Deng|Castro|Fujimori|Menem|Cardoso|Zedillo|Chavez|Lula|Obama|Merkel|Schroeder|Sarkozy|Howard|Keating|Suharto|Mahathir|Ramos|Estrada|Kim|Lee|Sharif|Bhutto|Gandhi|Rao|Gowda|Khatami|Rafsanjani|Khomeini|Gaddafi|Qaddafi|Mobutu|Kabila|Museveni|Moi|Abacha";

const LOC_WORDS: &str = "River|Lake|Mountain|Mountains|Mount|Mt|Hill|Hills|Valley|Sea|Ocean|Bay|Gulf|Strait|Straits|Island|Islands|Isle|Peninsula|Desert|Forest|Park|Street|St|Road|Avenue|Square|Bridge|Airport|Station|Port|Harbour|Harbor|Canal|Coast|Beach|Province|State|County|District|Region|Republic|Kingdom|Territory|Heights|Plain|Basin|Delta|Falls|Canyon|Cape|Point|North|South|East|West|Northern|Southern|Eastern|Western|Central|Upper|Lower|New|Saint|San|Santa|Sao|Fort|Port|Mount";

const TEMPORAL: &str = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Jan.|Feb.|Mar.|Apr.|Aug.|Sep.|Sept.|Oct.|Nov.|Dec.|Mon|Tue|Wed|Thu|Fri|Sat|Sun|today|yesterday|tomorrow|week|month|year|GMT|EST|EDT|BST|CET|AM|PM|a.m.|p.m.";

const SPORT: &str = "soccer|football|cricket|tennis|golf|rugby|baseball|basketball|hockey|athletics|cycling|boxing|skiing|swimming|racing|motor racing|formula|league|division|cup|championship|tournament|match|game|innings|wickets|runs|goals|points|halftime|half-time|scorers|attendance|standings|results|played|won|lost|drawn|beat|beats|v|vs|vs.|versus|seed|round|final|semifinal|semi-final|quarterfinal|quarter-final";

const COMPANY_HINTS: &str = "shares|stock|stocks|firm|company|group|bank|airline|carrier|maker|manufacturer|producer|retailer|operator|insurer|brokerage|newspaper|agency|daily|unit|subsidiary|rival|chain|conglomerate|Nasdaq|NYSE|profit|revenue|earnings|merger|takeover|acquisition|bid|stake";

/// The tables with their category, in a fixed order so fingerprints and
/// feature ids are stable.
const TABLES: &[(Cat, &str)] = &[
    (Cat::Country, COUNTRIES),
    (Cat::City, CITIES),
    (Cat::Region, REGIONS),
    (Cat::Demonym, DEMONYMS),
    (Cat::Language, LANGUAGES),
    (Cat::Event, EVENTS),
    (Cat::PerTitle, TITLES),
    (Cat::OrgSuffix, ORG_SUFFIXES),
    (Cat::Org, ORGS),
    (Cat::Party, PARTIES),
    (Cat::FirstName, FIRST_NAMES),
    (Cat::Surname, SURNAMES),
    (Cat::LocWord, LOC_WORDS),
    (Cat::Temporal, TEMPORAL),
    (Cat::Sport, SPORT),
    (Cat::Company, COMPANY_HINTS),
];

/// Phrase lookup keyed by the combined hash of lowercased tokens.
pub struct Gazetteer {
    phrases: HashMap<u64, u32, crate::features::BuildU64>,
    max_len: usize,
}

/// Position of a token inside a matched phrase, BILU-style.
/// Flag in a phrase-map entry: some longer phrase starts with this one.
/// The low bits are the categories of the phrase itself (none for a bare
/// prefix).
const CONTINUES: u32 = 1 << 31;

pub const POS_B: u32 = 0;
pub const POS_I: u32 = 1;
pub const POS_L: u32 = 2;
pub const POS_U: u32 = 3;

impl Gazetteer {
    pub fn new() -> Self {
        let mut phrases: HashMap<u64, u32, crate::features::BuildU64> = HashMap::default();
        let mut max_len = 1;
        let mut spans = Vec::new();
        for &(cat, table) in TABLES {
            for phrase in table.split('|') {
                spans.clear();
                crate::token::tokens_into(phrase, (0, phrase.len() as u32), &mut spans);
                if spans.is_empty() {
                    continue;
                }
                // Every proper prefix is marked as continuing, so lookups
                // can stop at the first token sequence no phrase starts with.
                let mut h = PHRASE_SEED;
                for (k, &(a, b)) in spans.iter().enumerate() {
                    h = mix(h, hash_lower(&phrase[a as usize..b as usize]));
                    let e = phrases.entry(h).or_insert(0);
                    if k + 1 < spans.len() {
                        *e |= CONTINUES;
                    } else {
                        *e |= 1 << cat as u32;
                    }
                }
                max_len = max_len.max(spans.len());
            }
        }
        Gazetteer { phrases, max_len }
    }

    /// For each token, a mask with bit `cat * 4 + pos` set for every phrase
    /// covering it; `lower` holds each token's lowercase hash.
    pub fn annotate(&self, lower: &[u64], out: &mut Vec<u64>) {
        out.clear();
        out.resize(lower.len(), 0);
        for i in 0..lower.len() {
            let mut h = PHRASE_SEED;
            for len in 1..=self.max_len.min(lower.len() - i) {
                h = mix(h, lower[i + len - 1]);
                let Some(&entry) = self.phrases.get(&h) else {
                    break;
                };
                let mut m = entry & !CONTINUES;
                while m != 0 {
                    let cat = m.trailing_zeros() as u64;
                    m &= m - 1;
                    if len == 1 {
                        out[i] |= 1 << (cat * 4 + POS_U as u64);
                    } else {
                        out[i] |= 1 << (cat * 4 + POS_B as u64);
                        for o in &mut out[i + 1..i + len - 1] {
                            *o |= 1 << (cat * 4 + POS_I as u64);
                        }
                        out[i + len - 1] |= 1 << (cat * 4 + POS_L as u64);
                    }
                }
                if entry & CONTINUES == 0 {
                    break;
                }
            }
        }
    }

    /// Changes whenever the tables change, so a model trained against other
    /// tables is rejected instead of silently misbehaving.
    pub fn fingerprint() -> u64 {
        TABLES.iter().fold(0x6761_7a65_7474_6565, |acc, &(cat, t)| {
            mix(
                mix(acc, cat as u64),
                xxhash_rust::xxh3::xxh3_64(t.as_bytes()),
            )
        })
    }
}

impl Default for Gazetteer {
    fn default() -> Self {
        Self::new()
    }
}

const PHRASE_SEED: u64 = 0x7068_7261_7365_0001;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::hash_lower;

    #[test]
    fn multiword_and_single_matches() {
        let g = Gazetteer::new();
        let words = ["in", "New", "York", "with", "Brig.", "Gen.", "Smith"];
        let lower: Vec<u64> = words.iter().map(|w| hash_lower(w)).collect();
        let mut out = Vec::new();
        g.annotate(&lower, &mut out);
        let city = Cat::City as u64;
        assert!(out[1] & (1 << (city * 4 + POS_B as u64)) != 0);
        assert!(out[2] & (1 << (city * 4 + POS_L as u64)) != 0);
        let title = Cat::PerTitle as u64;
        assert!(out[4] & (1 << (title * 4 + POS_B as u64)) != 0);
        assert!(out[6] & (1 << (Cat::Surname as u64 * 4 + POS_U as u64)) != 0);
        assert_eq!(out[0], 0);
    }
}
